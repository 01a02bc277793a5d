"""The Style page: neural style transfer on VGG-19's features (see task.py)."""
from playground.tasks.style.task import StyleTask

__all__ = ["StyleTask"]
