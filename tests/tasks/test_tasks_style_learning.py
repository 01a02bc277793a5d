"""Style transfer with the offline network at small sizes: the losses fall, and each loss does its own job."""
from __future__ import annotations

import base64
import io

import numpy as np
import pytest
import torch
from PIL import Image

from playground.tasks.base import Control, RunContext, Stopped
from playground.tasks.style import StyleTask, inputs
from playground.tasks.style.builtin import BUILTINS, builtin_image
from playground.tasks.style.config import StyleConfig
from playground.tasks.style.losses import gram
from playground.tasks.style.task import Transfer
from playground.tasks.style.vgg import feature_network

SIZE = 48


@pytest.fixture(autouse=True)
def one_thread():
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def transfer(iterations: int, **config) -> tuple[Transfer, list[list[float]]]:
    """A transfer of the lighthouse in swirls stepped ``iterations`` times; its losses at each step."""
    config = StyleConfig(size=SIZE, iterations=iterations, **config)
    network = feature_network(None, "cpu", config.last_layer)
    content = builtin_image(config.content, (SIZE, SIZE))
    style = builtin_image(config.style, (SIZE, SIZE))
    job = Transfer(config, network, content, [style], torch.device("cpu"))
    return job, [job.step().tolist() for _ in range(iterations)]


def test_the_total_loss_falls_by_a_large_factor_from_noise():
    _, losses = transfer(30, init="noise")
    first, last = losses[0][3], losses[-1][3]
    assert last < first / 100, (first, last)


def test_the_content_loss_alone_rebuilds_the_content_picture_from_noise():
    job, _ = transfer(40, init="noise", style_layers=[], content_layers=["conv1_1", "conv2_1"], tv_weight=0)
    content = inputs.to_tensor(builtin_image("lighthouse", (SIZE, SIZE)), torch.device("cpu"))
    start = torch.rand(content.shape, generator=torch.Generator().manual_seed(0))
    assert (start - content).abs().mean() > 0.25
    assert (job.result() - content).abs().mean() < 0.02  # within 2 % of the range per pixel


def test_the_style_loss_alone_brings_the_gram_matrices_to_the_styles():
    job, _ = transfer(30, init="noise", content_layers=[])
    network, layers = job.objective.network, list(job.objective.style_index)
    style = network(inputs.to_tensor(builtin_image("swirls", (SIZE, SIZE)), torch.device("cpu")), layers)

    def distance(image: torch.Tensor) -> float:
        found = network(image, layers)
        return sum(float((gram(found[i]) - gram(style[i])).square().sum() / gram(style[i]).square().sum())
                   for i in layers)

    start = torch.rand((1, 3, SIZE, SIZE), generator=torch.Generator().manual_seed(0))
    assert distance(job.result()) < distance(start) / 50


def test_adam_lowers_the_loss_too():
    _, losses = transfer(20, init="noise", optimizer="adam", learning_rate=0.05)
    assert losses[-1][3] < losses[0][3] / 3


def test_colour_preservation_keeps_the_contents_colour():
    job, _ = transfer(10, preserve_colour=True)
    content = inputs.to_tensor(builtin_image("lighthouse", (SIZE, SIZE)), torch.device("cpu"))
    result_iq, content_iq = inputs.yiq(job.result())[:, 1:], inputs.yiq(content)[:, 1:]
    assert (result_iq - content_iq).abs().mean() < 0.02  # colour (I and Q) is the content's...
    assert (inputs.yiq(job.result())[:, 0] - inputs.yiq(content)[:, 0]).abs().mean() > 0.01  # ...light is not


def decode(url: str) -> Image.Image:
    return Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1])))


def test_a_run_reports_every_iteration_and_pictures_and_ends_with_a_full_size_png(recorder):
    StyleTask().run(StyleTask.Config(size=SIZE, iterations=6, picture_every=3, style_b="mosaic", blend=0.3),
                    RunContext(emit=recorder))
    kinds = recorder.kinds()
    assert recorder.events[0]["type"] == "log" and recorder.events[0]["data"]["network"] == "random"
    assert "random filters" in recorder.events[0]["data"]["message"]
    assert {"content", "style", "style2"} <= set(kinds)
    losses = recorder.metrics("loss")
    assert [e["step"] for e in recorder.events if e["type"] == "metric"] == list(range(1, 7))
    assert set(losses[0]) == {"split", "content", "style", "tv", "total"}
    frames = recorder.named("result")
    assert [f["iteration"] for f in frames] == [3, 6]
    final = recorder.named("final")[-1]
    assert final["download"] == f"style-{SIZE}x{SIZE}.png" and final["state"] == "finished"
    picture = decode(final["url"])
    assert picture.format == "PNG" and picture.size == (SIZE, SIZE)


class StopAfter(Control):
    """Stops the run at its check number ``steps + 1``; sets the style weight to 5 at check ``change_at``."""

    def __init__(self, steps: int, change_at: int = 0):
        self.steps, self.change_at, self.checks = steps, change_at, 0

    def check(self):
        self.checks += 1
        if self.checks > self.steps:
            raise Stopped
        return {"style_weight": 5.0} if self.checks == self.change_at else {}


def test_a_stopped_run_still_gives_its_picture_and_the_losses_so_far(recorder):
    with pytest.raises(Stopped):
        StyleTask().run(StyleTask.Config(size=32, iterations=50, picture_every=100), RunContext(emit=recorder, control=StopAfter(4)))
    assert len(recorder.metrics("loss")) == 4
    assert recorder.named("final")[-1]["state"] == "stopped"


def test_a_live_style_weight_counts_from_the_next_step(recorder):
    StyleTask().run(StyleTask.Config(size=32, iterations=3, style_weight=1.0, tv_weight=2.0),
                    RunContext(emit=recorder, control=StopAfter(10, change_at=3)))
    losses = recorder.metrics("loss")
    first, last = losses[0], losses[-1]
    assert first["total"] == pytest.approx(first["content"] + first["style"] + 2 * first["tv"], rel=1e-4)
    assert last["total"] == pytest.approx(last["content"] + 5 * last["style"] + 2 * last["tv"], rel=1e-4)


def test_every_built_in_picture_is_drawn_at_any_size():
    for name in BUILTINS:
        pixels = builtin_image(name, (40, 30))
        assert pixels.shape == (30, 40, 3) and pixels.dtype == np.uint8 and pixels.std() > 10
