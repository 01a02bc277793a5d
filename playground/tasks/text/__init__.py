"""The Text page's task: character-level RNN, LSTM and GRU language models (``task.py``)."""
from playground.tasks.text.task import TextTask

__all__ = ["TextTask"]
