"""The Basics page: a small MLP on 2-D toy data, in the spirit of the TensorFlow playground.

``task.py`` trains and reports, ``config.py`` is its configuration, ``lessons.py``
its presets, ``pictures.py`` what it draws. Everything else it uses is shared by
every task (``playground/tasks/*.py``).
"""
from playground.tasks.basics.task import BasicsTask

__all__ = ["BasicsTask"]
