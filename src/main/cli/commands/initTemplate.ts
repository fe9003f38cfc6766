/** Renders the commented `mlops.yaml` that `mlops-hub init` writes; every key but `name` is optional. */
export function renderConfigTemplate(name: string): string {
  return `# MLOps Hub project settings. Every key except \`name\` is optional.

# Project name: lowercase letters, digits and dashes. Experiments of this
# project are tagged mlops_hub.project=<name>.
name: ${name}

# One line shown in the dashboard.
description: ""

# Scheduling priority when projects compete for memory, GPU or Neural Engine:
# high, normal or low.
priority: normal

# Fair-share weight among projects of the same priority (a positive number).
weight: 1

# Upper limits for this project's training jobs; remove a key to use the hub's default.
# resources:
#   memory_gb: 16        # unified memory, in GiB
#   gpu: true            # true, false, or a share of the GPU between 0 and 1
#   neural_engine: false
#   cpu_cores: 4

# Experiment that runs of this project log to when the script names none.
# tracking:
#   experiment: ${name}

# Services the hub runs for this project, by name; each runs as \`${name}.<key>\`.
# Every field is described in docs/services.md of MLOps Hub.
# services:
#   model-server:
#     command: python3
#     args: ["-m", "http.server", "{port}"]
#     port: 8100
#     pick_free_port: true        # use a free port when 8100 is taken
#     cwd: .                      # relative to this folder
#     env:
#       LOG_LEVEL: info
#     readiness:
#       type: http                # or tcp, or alive with for_ms: 2000
#       url: http://127.0.0.1:{port}/
#     restart: on-failure         # never, on-failure or always
#     stop_signal: SIGTERM
#     stop_timeout_ms: 10000
#     depends_on: [mlflow]        # a key of this block or a built-in service
#     autostart: false
`;
}
