"""What the Style task costs against the same optimisation written as a bare PyTorch loop.

Run from the repository root:

    .venv/bin/python bench/style.py                    # 256 px, 20 iterations, 11 rounds: about 3 minutes on 2 cores
    .venv/bin/python bench/style.py --device cuda --iterations 200

Two ways paint the same picture (the lighthouse in swirls, the offline network, the
defaults' layers and weights, L-BFGS) in this one process:

- bare: written here by hand: the network, the targets computed once, the three
  losses, one L-BFGS step and a clamp per iteration, nothing else;
- task: ``StyleTask().run`` itself, its events going through the real
  ``EventRecorder`` up a pipe to a store process that keeps them in SQLite (as
  bench/overhead.py does), its frames written as WebP files into a picture folder,
  and the final PNG too, with the real ``RunControl`` polling the run's row.

Each round runs both once, whole (set-up included), in an order that alternates
from round to round, so a change in what else the machine does reaches both alike;
a warm-up round comes first and is not counted. Figures: iterations per second of
each (median over rounds), and the task's over bare per round as the median and
interquartile range, by wall clock and by this process's CPU time (all its threads,
the run control's included; the store process's is not), which other programs on a
busy machine disturb far less. The two must paint the same picture: the largest difference of
their final pixels is printed (0 or 1 of 255, from rounding). Target: task / bare ≥ 0.97.
"""
from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.overhead import STORE, RunParts, load_average, setup_store, spread, synchronize  # noqa: E402

TARGET = 0.97


def bare(config, device: torch.device) -> np.ndarray:
    """The same transfer as the task's, by hand; the final picture's pixels."""
    from playground.tasks.style.inputs import content_and_size, source_image, style_pixels
    from playground.tasks.style.vgg import FEATURE_LAYERS, random_vgg19

    # The pictures are read as the task reads them; all that follows is written here.
    content_pixels, side = content_and_size(source_image(config.content, None), config.size)
    style_at_size = style_pixels(source_image(config.style, None), side)
    to_tensor = lambda pixels: (torch.from_numpy(np.array(pixels)).to(device).permute(2, 0, 1)[None].float() / 255).contiguous()  # noqa: E731
    content, style = to_tensor(content_pixels), to_tensor(style_at_size)
    network = random_vgg19(config.last_layer, config.seed).to(device)
    body, mean, std = network.body, network.mean, network.std
    content_at = [FEATURE_LAYERS[n].index for n in config.content_layers]
    style_at = [FEATURE_LAYERS[n].index for n in config.style_layers]
    wanted = set(content_at + style_at)
    last = max(wanted)

    def features(image):
        out, x = {}, (image - mean) / std
        for index, module in enumerate(body[: last + 1]):
            x = module(x)
            if index in wanted:
                out[index] = x
        return out

    def gram(f):
        n, c, h, w = f.shape
        f = f.reshape(n, c, h * w)
        return f @ f.transpose(1, 2) / (h * w)

    with torch.no_grad():
        content_found, style_found = features(content), features(style)
        targets = {i: content_found[i] for i in content_at}
        grams = {i: gram(style_found[i]) for i in style_at}
        # Each layer's error over its target's mean square, in the same arithmetic as the task's.
        content_scale = {i: 1 / t.square().mean().clamp_min(1e-12) for i, t in targets.items()}
        style_scale = {i: 1 / g.square().mean().clamp_min(1e-12) for i, g in grams.items()}
    image = content.clone().requires_grad_(True)
    optimizer = torch.optim.LBFGS([image], lr=1, max_iter=1, history_size=20)

    def closure():
        optimizer.zero_grad(set_to_none=True)
        found = features(image)
        content_loss = sum((found[i] - t).square().mean() * content_scale[i] for i, t in targets.items()) / len(targets)
        style_loss = sum((gram(found[i]) - g).square().mean() * style_scale[i] * (1 / len(grams)) for i, g in grams.items())
        tv = ((image[:, :, 1:] - image[:, :, :-1]) ** 2).mean() + ((image[:, :, :, 1:] - image[:, :, :, :-1]) ** 2).mean()
        loss = config.content_weight * content_loss + config.style_weight * style_loss + config.tv_weight * tv
        loss.backward()
        return loss

    for _ in range(config.iterations):
        optimizer.step(closure)
        with torch.no_grad():
            image.clamp_(0, 1)
    return (image[0].detach().permute(1, 2, 0) * 255).round().to(torch.uint8).cpu().numpy()


def task(config, device: torch.device, folder: Path, run_id: int) -> np.ndarray:
    """``StyleTask().run`` with the run engine's recorder, control and picture folder; the final picture's pixels."""
    from playground.tasks.base import RunContext
    from playground.tasks.picture_files import PictureFolder
    from playground.tasks.style import StyleTask

    pictures = PictureFolder(folder / str(run_id), f"/api/runs/{run_id}/pictures/", 1 << 30)
    with RunParts(_Device(device), run_id, note=False) as (recorder, control):
        StyleTask().run(config, RunContext(emit=recorder, control=control, device=str(device), pictures=pictures))
    final = sorted((folder / str(run_id)).glob("*-final.png"))[-1]
    return np.asarray(Image.open(io.BytesIO(final.read_bytes())).convert("RGB"))


class _Device:
    """What RunParts reads of a case."""

    def __init__(self, device: torch.device):
        self.device = device


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=256)
    parser.add_argument("--iterations", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=11)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--threads", type=int, default=0, help="CPU threads (default: PyTorch's)")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    setup_store()
    STORE.start()
    from playground.runs import store
    from playground.tasks.style.config import StyleConfig

    device = torch.device(args.device)
    # Pictures every 10 iterations, as the page's default; the final PNG at full size.
    config = StyleConfig(size=args.size, iterations=args.iterations, picture_every=10)
    folder = Path(tempfile.mkdtemp(prefix="layerlab-style-bench-"))
    print(f"Style transfer at {args.size} px, {args.iterations} L-BFGS iterations a run, offline network, "
          f"on {device} ({torch.get_num_threads()} threads); {load_average()}")
    rates: dict[str, list[float]] = {"bare": [], "task": []}
    ratios, cpu_ratios, differences = [], [], []
    for round_number in range(args.rounds + 1):
        order = ["bare", "task"] if round_number % 2 else ["task", "bare"]
        seconds, cpu, pixels = {}, {}, {}
        run_id = store.create_run("style", config.model_dump(mode="json"), session_key="bench").pk  # the web process's work
        for way in order:
            synchronize(device)
            start, start_cpu = time.perf_counter(), time.process_time()
            pixels[way] = bare(config, device) if way == "bare" else task(config, device, folder, run_id)
            synchronize(device)
            seconds[way], cpu[way] = time.perf_counter() - start, time.process_time() - start_cpu
        if round_number == 0:
            continue  # warm-up
        for way in rates:
            rates[way].append(args.iterations / seconds[way])
        ratios.append(seconds["bare"] / seconds["task"])
        cpu_ratios.append(cpu["bare"] / cpu["task"])
        differences.append(int(np.abs(pixels["bare"].astype(int) - pixels["task"].astype(int)).max()))
        print(f"  round {round_number:2d}: bare {rates['bare'][-1]:.2f} it/s, task {rates['task'][-1]:.2f} it/s, "
              f"task / bare {ratios[-1]:.3f} by wall clock, {cpu_ratios[-1]:.3f} by CPU time", flush=True)
    print(f"iterations per second (median): bare {statistics.median(rates['bare']):.2f}, "
          f"task {statistics.median(rates['task']):.2f}")
    print(f"task / bare per round, median [interquartile range] over {len(ratios)} rounds: by wall clock "
          f"{spread(ratios)}, by this process's CPU time {spread(cpu_ratios)}; target ≥ {TARGET}")
    print(f"largest difference of the two final pictures: {max(differences)} of 255")
    print(f"after: {load_average()}")
    os._exit(0)  # the store process and the run controls' threads need no orderly end


if __name__ == "__main__":
    main()
