"""Exceptions. Quality problems are data (findings, statuses); only "no draft could be made" raises.

    ReplydraftError
     +-- UsageError          you used it wrong: fix the input or the configuration
     |    +-- InputError      the mail or text cannot be read (empty, binary, malformed JSON)
     |    +-- PolicyError     a policy file is unknown or invalid (names the key and the file)
     |    +-- ConfigError     no backend configured, unknown option
     +-- BackendError        the run failed: the model or its server misbehaved
          +-- ModelOutputError   the model's output was invalid twice
          +-- BackendTimeout     the server did not answer in time
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
