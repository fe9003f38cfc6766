"""Artifact uploads: files and text streamed to the hub's MLflow artifact proxy."""

import http.client
import io
import mimetypes
import os
import posixpath
import shutil
import time
import urllib.parse
import warnings

from .errors import HubError, HubUnavailableError
from .transport import _decode_response

PROXY_SCHEME = "mlflow-artifacts:"
PROXY_PREFIX = "/api/2.0/mlflow-artifacts/artifacts"
# Waits between attempts after a transient failure, in seconds.
RETRY_DELAYS_S = (0.5, 1.0, 2.0)


def plan_uploads(local_path, artifact_path=None):
    """Return ``(local file, artifact file)`` pairs: one for a file, one per file below a folder.

    ``artifact_path`` is the folder inside the run's artifacts (the root when None), as in MLflow.
    Raises FileNotFoundError when ``local_path`` does not exist.
    """
    if not os.path.exists(local_path):
        raise FileNotFoundError(f"log_artifact: local path {local_path!r} does not exist")
    folder = (artifact_path or "").strip("/")
    if os.path.isfile(local_path):
        return [(local_path, posixpath.join(folder, os.path.basename(local_path)))]

    pairs = []
    for directory, _, names in os.walk(local_path):
        relative = os.path.relpath(directory, local_path).replace(os.sep, "/")
        for name in sorted(names):
            parts = [part for part in (folder, "" if relative == "." else relative, name) if part]
            pairs.append((os.path.join(directory, name), "/".join(parts)))
    return pairs


def upload(transport, artifact_uri, artifact_file, local_path=None, data=None):
    """Store a local file or ``data`` (bytes) as ``artifact_file`` below the run's ``artifact_uri``.

    An ``mlflow-artifacts:`` URI streams the bytes with one PUT over ``transport``. A local
    path or ``file://`` URI, which a managed MLflow server on this machine hands out, gets a file copy.
    Raises ValueError for an ``artifact_file`` with ``.``, ``..`` or empty segments.
    """
    if any(part in ("", ".", "..") for part in artifact_file.split("/")):
        raise ValueError(f"Expected `artifact_file` to be a relative path such as 'plots/loss.png', got {artifact_file!r}")
    if artifact_uri.startswith(PROXY_SCHEME):
        run_path = artifact_uri[len(PROXY_SCHEME):].strip("/")
        path = urllib.parse.quote(f"{PROXY_PREFIX}/{run_path}/{artifact_file}")
        content_type = mimetypes.guess_type(artifact_file)[0] or "application/octet-stream"
        if local_path is not None:
            with open(local_path, "rb") as body:
                return _put(transport, path, body, os.fstat(body.fileno()).st_size, content_type)
        return _put(transport, path, io.BytesIO(data), len(data), content_type)

    root = urllib.parse.urlsplit(artifact_uri).path if artifact_uri.startswith("file:") else artifact_uri
    if not os.path.isabs(root):
        raise HubError(f"artifact_uri {artifact_uri!r} is neither mlflow-artifacts: nor a local folder; "
                       "log artifacts with the mlflow client instead", "INVALID_PARAMETER_VALUE", 400)
    target = os.path.join(root, *artifact_file.split("/"))
    os.makedirs(os.path.dirname(target), exist_ok=True)
    if local_path is not None:
        shutil.copyfile(local_path, target)
    else:
        with open(target, "wb") as file:
            file.write(data)
    return {}


def deliver(action, label, strict):
    """Run ``action``, retrying transient failures. Return True on success.

    After the last retry, or when the hub rejects the upload, this issues a RuntimeWarning
    and returns False, so a training loop keeps going. With ``strict`` it raises HubError instead.
    """
    for delay_s in (*RETRY_DELAYS_S, None):
        try:
            action()
            return True
        except HubUnavailableError:
            if delay_s is None:
                if strict:
                    raise
                warnings.warn(f"mlops_hub: {label} was not uploaded: the hub is unreachable", RuntimeWarning)
                return False
            time.sleep(delay_s)
        except HubError as error:
            if strict:
                raise
            warnings.warn(f"mlops_hub: {label} was not uploaded: {error}", RuntimeWarning)
            return False
    return False


def _put(transport, path, body, length, content_type):
    # http.client reads a file-like body in blocks, so a large file never sits in memory.
    headers = {"Content-Type": content_type, "Content-Length": str(length), "Accept": "application/json"}
    if transport.address.token:
        headers["Authorization"] = f"Bearer {transport.address.token}"

    connection = transport._connect()
    try:
        connection.request("PUT", path, body=body, headers=headers)
        response = connection.getresponse()
        status, text = response.status, response.read()
    except (OSError, http.client.HTTPException) as error:
        where = transport.address.socket_path or transport.address.url
        raise HubUnavailableError(f"PUT {path} to {where} failed: {error}; is the hub running?", cause=error) from error
    finally:
        connection.close()

    return _decode_response("PUT", path, status, text)
