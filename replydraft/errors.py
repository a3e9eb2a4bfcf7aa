"""Exceptions. Quality problems are data (findings, statuses); only "no draft could be made" raises.

    ReplydraftError
     +-- UsageError          you used it wrong: fix the input or the configuration (CLI exit 2, HTTP 422)
     |    +-- InputError      the mail or text cannot be read (empty, binary, malformed JSON)
     |    +-- PolicyError     a policy file is unknown or invalid (names the key and the file)
     |    +-- ConfigError     no backend configured, an unknown option or setting
     +-- BackendError        the run failed: the model or its server misbehaved
          +-- ModelOutputError    the model's output was invalid twice
          +-- BackendTimeout      the server did not answer in time
          +-- BackendConfigError  the server refused the model's settings: an API key (401), a model
                                  or path it does not know (404)

Where they end: a BackendError during a draft becomes one result, `DraftResult.failed(...)` (status
"error" and the reason), in the library, so the CLI, the service and the eval only present it: the CLI
prints it and exits 3, the service answers it with HTTP 200, the eval records it as the item's error.
A UsageError is raised to the caller before any model call.
"""


class ReplydraftError(Exception):
    pass


class UsageError(ReplydraftError):
    pass


class InputError(UsageError):
    pass


class PolicyError(UsageError):
    pass


class ConfigError(UsageError):
    pass


class BackendError(ReplydraftError):
    pass


class ModelOutputError(BackendError):
    pass


class BackendTimeout(BackendError):
    pass


class BackendConfigError(BackendError):
    pass
