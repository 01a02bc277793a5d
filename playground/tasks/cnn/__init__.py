"""The CNN page: image classification with convolutional networks, and what they learn.

``task.py`` trains and reports, ``config.py`` is its configuration, ``lessons.py``
its presets (MLP to GoogLeNet), ``pictures.py`` what it draws, ``jobs.py`` the
short jobs on its checkpoint (``jobargs.py`` their arguments). The data comes
from ``playground/data/image_sets.py``.
"""
from playground.tasks.cnn.task import CnnTask

__all__ = ["CnnTask"]
