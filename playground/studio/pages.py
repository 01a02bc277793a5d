"""The site's pages as one registry: the top bar and the home page's cards both come from it."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    name: str
    title: str
    promise: str
    picture: str
    url: str | None  # None: coming soon


PAGES = [
    Page("basics", "Basics", "Watch a small network bend the plane until two classes come apart.", "studio/img/basics.svg", "/basics"),
    Page("cnn", "CNN", "Stack convolutions and pools, see every shape, and train LeNet to ResNet.", "studio/img/cnn.svg", None),
    Page("text", "Text", "Teach an LSTM to write, one character at a time.", "studio/img/text.svg", None),
    Page("style", "Style", "Paint one picture in the style of another with a ConvNet's features.", "studio/img/style.svg", None),
]
