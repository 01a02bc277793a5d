"""Imported once by the fork server that the local executor forks its training processes from.

Importing Django, PyTorch (with the compiler stack its first optimiser step
loads) and the tasks takes seconds of CPU; done once here, a new spare is a
fork that is ready in a fraction of a second, on a busy machine too. Nothing
here touches CUDA or a database connection, or runs a PyTorch operation: a
forked child may start CUDA and its own threads only if its parent never did.

The fork server leaves the server's process group: a signal to that group
(``kill -- -PID``, Ctrl-C) reaches the server, which ends its training
processes itself; the fork server ends when the server's end closes its pipe.
Only the fork server imports this module.
"""
import atexit
import os
import sys

os.setpgrp()


@atexit.register  # runs first: registered after multiprocessing's own handlers
def leave_at_once() -> None:
    # The fork server holds nothing to clean up, and finalising an interpreter with PyTorch
    # loaded took two seconds on a busy machine: the server would not be gone in time.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


try:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "playground.settings")
    import django

    django.setup()

    import torch  # noqa: F401
    import torch._dynamo  # noqa: F401  (what the first optimiser step imports: about a second)
    import torch.optim  # noqa: F401

    import playground.runs.runner  # noqa: F401
    import playground.runs.worker  # noqa: F401
    import playground.tasks  # noqa: F401
except Exception as error:  # the spare imports what is missing itself, and reports what fails
    print(f"layerlab: the fork server could not preload ({type(error).__name__}: {error})", file=sys.stderr)
