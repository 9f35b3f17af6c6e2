"""Error classes with the toolkit's names: ClientError and its subclasses are the user's fault
(failure file holds str(e), exit 1); anything else is a 'Framework Error'."""


class ClientError(Exception):
    """Error class used to separate framework and user errors."""


class _CalledProcessError(ClientError):
    """A process exited non-zero. str() is the failure text SageMaker shows as FailureReason."""

    def __init__(self, cmd, return_code=None, output=None, info=None):
        self.return_code = str(return_code)
        self.cmd = cmd
        self.output = output
        self.extra_info = info
        super().__init__()

    def __str__(self):
        if isinstance(self.output, bytes):
            error_msg = self.output.decode("utf-8", "replace")
        else:
            error_msg = self.output or ""
        if self.extra_info is None:
            message = '%s:\nExitCode %s\nErrorMessage "%s"\nCommand "%s"' % (
                type(self).__name__, self.return_code, error_msg, self.cmd)
        else:
            message = '%s:\nExitCode %s\nErrorMessage "%s"\nExtraInfo "%s"\nCommand "%s"' % (
                type(self).__name__, self.return_code, error_msg, self.extra_info, self.cmd)
        return message.strip()


class InstallModuleError(_CalledProcessError):
    """The user module (setup.py) failed to install."""


class InstallRequirementsError(_CalledProcessError):
    """requirements.txt failed to install."""


class ExecuteUserScriptError(_CalledProcessError):
    """The user entry point exited non-zero."""


class ImportModuleError(ClientError):
    """A module failed to import."""


class UserConfigurationError(ClientError):
    """The job's configuration cannot run (no entry point, unsupported distribution, bad submit directory)."""
