"""Exceptions raised by the MLOps Hub client."""


class HubError(Exception):
    """The hub rejected a request with an MLflow error body.

    ``error_code`` is MLflow's code name (for example ``INVALID_PARAMETER_VALUE``)
    and ``status`` the HTTP status of the response.
    """

    def __init__(self, message, error_code="INTERNAL_ERROR", status=500):
        super().__init__(f"{error_code}: {message}")
        self.error_code = error_code
        self.status = status
        self.hub_message = message


class HubUnavailableError(HubError):
    """The hub could not be reached, timed out, or returned a transient status (408, 429 or 5xx).

    These failures are transient: the client buffers and retries them unless it is strict.
    """

    def __init__(self, message, status=None, cause=None):
        super().__init__(message, "TEMPORARILY_UNAVAILABLE", status or 503)
        self.__cause__ = cause


class HubConfigError(ValueError):
    """The client configuration is invalid: a malformed or non-loopback ``MLOPS_HUB_URL``, a missing token, or a hub without an HTTP port."""
