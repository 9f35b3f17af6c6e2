"""sagemaker_algorithm_toolkit's error kinds; the failure file reads '<Kind>: <message>'."""


class BaseToolkitError(Exception):
    kind = "AlgorithmError"

    def failure_text(self):
        return "%s: %s" % (self.kind, self)


class UserError(BaseToolkitError):
    """Caused by the job's configuration or data (shown as ClientError)."""

    kind = "ClientError"


class AlgorithmError(BaseToolkitError):
    kind = "AlgorithmError"


class PlatformError(BaseToolkitError):
    kind = "PlatformError"
