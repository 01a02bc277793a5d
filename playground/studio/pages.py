"""The site's pages as one registry: the top bar, the home page's cards, each page's route,
and which page a run's task opens on (Fork) all come from it.

A page is served by one view and one template (`studio/page.html`): the template loads
the page's built entry (`frontend/src/<name>/main.ts`) into `<div id="<name>">`, with any data
the page carries in its HTML as `<script type="application/json">` elements. A new page is a
folder in `frontend/src/` and one entry here.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from playground.studio.samples import dataset_samples, style_thumbnails


@dataclass(frozen=True)
class Page:
    name: str
    title: str
    promise: str
    picture: str
    heading: str = ""  # the page's <h1>, for screen readers (the page shows its title in the top bar)
    task: str = ""  # the task the page trains (default: the page's name)
    # JSON the page carries in its HTML, by element id: the same for every visitor, saving requests on load.
    data: Callable[[], dict[str, Any]] | None = None

    @property
    def url(self) -> str:
        return f"/{self.name}"

    @property
    def task_name(self) -> str:
        return self.task or self.name


PAGES = [
    Page(
        "basics", "Basics", "Watch a small network bend the plane until two classes come apart.", "studio/img/basics.svg",
        heading="Basics: a neural network on 2-D data",
        data=lambda: {"dataset-samples": dataset_samples("basics")},
    ),
    Page(
        "cnn", "CNN", "Stack convolutions and pools, see every shape, and train LeNet to ResNet.", "studio/img/cnn.svg",
        heading="CNN: image classification with convolutional networks",
    ),
    Page(
        "text", "Text", "Teach an LSTM to write, one character at a time.", "studio/img/text.svg",
        heading="Text: a character-level RNN, LSTM or GRU that learns to write",
    ),
    Page(
        "style", "Style", "Paint one picture in the style of another with a ConvNet's features.", "studio/img/style.svg",
        heading="Style: neural style transfer with VGG-19",
        data=lambda: {"style-thumbnails": style_thumbnails()},
    ),
]

PAGES_BY_NAME = {page.name: page for page in PAGES}


def task_pages() -> dict[str, str]:
    """The address of each task's page (a run's Fork opens there)."""
    return {page.task_name: page.url for page in PAGES}
