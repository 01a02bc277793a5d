"""The built-in content and style pictures, drawn by the code itself so that the page works offline.

Content pictures are simple scenes with clear shapes (a lighthouse on a bay, a house
under a tree, mountains over a lake); style pictures are textures a painter might
have made (swirling strokes, a mosaic, dots of pure colour, ink strokes, shards).
Each is drawn once per process at ``BASE`` pixels from a fixed seed, so every visitor
and every run sees the same picture.

    pixels = builtin_image("lighthouse", (256, 256))  # uint8 (256, 256, 3)
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Callable

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

BASE = 512


@dataclass(frozen=True)
class BuiltIn:
    title: str
    role: str  # "content" or "style": where the page offers it first (either may be used as either)
    description: str
    draw: Callable[[np.random.Generator], Image.Image]


def gradient(top: tuple[int, int, int], bottom: tuple[int, int, int], height: int, width: int = BASE) -> np.ndarray:
    t = np.linspace(0, 1, height)[:, None, None]
    return ((1 - t) * np.array(top) + t * np.array(bottom)).repeat(width, axis=1)


def canvas(array: np.ndarray) -> Image.Image:
    return Image.fromarray(np.clip(array, 0, 255).astype(np.uint8))


def lighthouse(rng: np.random.Generator) -> Image.Image:
    sky = gradient((250, 190, 120), (120, 170, 220), 300)
    sea = gradient((40, 90, 140), (10, 40, 80), BASE - 300)
    image = canvas(np.concatenate([sky, sea]))
    draw = ImageDraw.Draw(image)
    draw.ellipse((60, 170, 150, 260), fill=(255, 225, 150))
    for _ in range(40):  # glints on the water
        x, y = rng.integers(0, BASE), rng.integers(310, BASE)
        draw.line((x, y, x + rng.integers(10, 40), y), fill=(150, 190, 230), width=2)
    draw.polygon([(230, 300), (330, 200), (420, 215), (512, 260), (512, 330), (230, 330)], fill=(70, 95, 60))
    draw.polygon([(340, 215), (392, 215), (382, 60), (350, 60)], fill=(245, 245, 240))
    for band in (90, 150):  # red stripes
        draw.polygon([(350 - (band - 60) * 0.05, band), (382 + (band - 60) * 0.05, band),
                      (382 + (band + 30 - 60) * 0.05, band + 30), (350 - (band + 30 - 60) * 0.05, band + 30)],
                     fill=(200, 40, 40))
    draw.rectangle((344, 40, 388, 62), fill=(60, 60, 60))
    draw.polygon([(340, 40), (392, 40), (366, 18)], fill=(200, 40, 40))
    draw.polygon([(366, 50), (512, 10), (512, 90)], fill=(255, 245, 190))
    return image.filter(ImageFilter.GaussianBlur(0.8))


def house(rng: np.random.Generator) -> Image.Image:
    image = canvas(np.concatenate([gradient((120, 180, 240), (200, 225, 250), 330), gradient((90, 160, 70), (50, 110, 40), BASE - 330)]))
    draw = ImageDraw.Draw(image)
    for x in range(0, BASE, 6):  # grass blades
        h = rng.integers(5, 18)
        draw.line((x, 335 + rng.integers(0, 170), x + rng.integers(-3, 4), 335 + rng.integers(0, 170) - h), fill=(60, 130, 50), width=2)
    draw.rectangle((150, 230, 350, 400), fill=(230, 210, 170))
    draw.polygon([(130, 235), (250, 140), (370, 235)], fill=(150, 50, 40))
    draw.rectangle((225, 320, 275, 400), fill=(110, 70, 40))
    for x in (175, 295):
        draw.rectangle((x, 260, x + 40, 300), fill=(170, 210, 240), outline=(255, 255, 255), width=4)
    draw.rectangle((385, 260, 410, 410), fill=(100, 70, 40))
    for _ in range(30):
        cx, cy, r = 397 + rng.normal(0, 35), 220 + rng.normal(0, 30), rng.integers(25, 45)
        g = int(rng.integers(100, 150))
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(40, g, 50))
    for cx, cy in ((80, 80), (140, 60), (440, 100)):
        for dx in (-25, 0, 25):
            draw.ellipse((cx + dx - 22, cy - 18, cx + dx + 22, cy + 18), fill=(250, 250, 250))
    return image.filter(ImageFilter.GaussianBlur(0.8))


def mountains(rng: np.random.Generator) -> Image.Image:
    array = gradient((255, 170, 120), (170, 200, 235), BASE)
    x = np.arange(BASE)
    horizon = 330
    for depth, (colour, base, amplitude) in enumerate((((150, 140, 190), 200, 90), ((90, 90, 140), 250, 70), ((50, 70, 80), 300, 40))):
        phase = rng.uniform(0, 6, 3)
        ridge = base - amplitude * (0.6 * np.sin(x / 70 + phase[0]) + 0.3 * np.sin(x / 23 + phase[1]) + 0.1 * np.sin(x / 9 + phase[2]))
        rows = np.arange(BASE)[:, None]
        mask = (rows >= ridge[None, :]) & (rows < horizon)
        if depth == 0:  # snow on the far peaks
            snow = mask & (rows < ridge[None, :] + 25)
            array[snow] = (245, 245, 250)
            mask &= ~snow
        array[mask] = colour
    reflection = array[horizon - (BASE - horizon):horizon][::-1] * 0.6 + np.array((20, 50, 80)) * 0.4
    array[horizon:] = reflection
    ripples = rng.integers(horizon, BASE, 70)
    for y in ripples:
        start = rng.integers(0, BASE - 60)
        array[y, start:start + rng.integers(20, 60)] += 35
    return canvas(array).filter(ImageFilter.GaussianBlur(0.7))


def swirls(rng: np.random.Generator) -> Image.Image:
    """Short curved strokes along a swirling field, blue and gold, after a night sky painted in turbulence."""
    image = canvas(gradient((20, 40, 110), (30, 70, 150), BASE))
    draw = ImageDraw.Draw(image)
    palette = [(25, 55, 140), (60, 110, 190), (140, 180, 230), (240, 210, 90), (250, 240, 170), (15, 30, 80)]
    centres = rng.uniform(0, BASE, (5, 2))
    for _ in range(2600):
        x, y = rng.uniform(0, BASE, 2)
        colour = palette[rng.integers(0, len(palette))]
        points = [(x, y)]
        for _ in range(8):
            angle = sum(math.atan2(y - cy, x - cx) + math.pi / 2 for cx, cy in centres[:2]) / 2 + 0.6 * math.sin(x / 60)
            x, y = x + 5 * math.cos(angle), y + 5 * math.sin(angle)
            points.append((x, y))
        draw.line(points, fill=colour, width=int(rng.integers(3, 7)))
    for cx, cy in centres[2:]:
        for radius in range(40, 0, -6):
            shade = palette[3] if radius % 12 else palette[4]
            draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), outline=shade, width=4)
    return image


def mosaic(rng: np.random.Generator) -> Image.Image:
    """Voronoi tiles of bright glass with dark lead between them."""
    seeds = rng.uniform(0, BASE, (160, 2))
    palette = np.array([(200, 40, 50), (240, 180, 40), (40, 90, 170), (30, 140, 100), (230, 120, 40), (120, 50, 140), (240, 230, 200)])
    colours = palette[rng.integers(0, len(palette), len(seeds))] + rng.normal(0, 12, (len(seeds), 3))
    import torch

    ys, xs = torch.meshgrid(torch.arange(BASE), torch.arange(BASE), indexing="ij")
    grid = torch.stack([xs, ys], -1).reshape(-1, 2).float()
    distance, nearest = torch.cdist(grid, torch.from_numpy(seeds).float()).topk(2, dim=1, largest=False)
    first = nearest[:, 0].numpy()
    edge = (distance[:, 1] - distance[:, 0]).numpy() < 3.0
    array = colours[first]
    array[edge] = (30, 25, 20)
    return canvas(array.reshape(BASE, BASE, 3)).filter(ImageFilter.GaussianBlur(0.6))


def dots(rng: np.random.Generator) -> Image.Image:
    """Pointillism: dabs of pure colour that the eye mixes into a sunny field."""
    base = gradient((250, 220, 150), (120, 170, 90), BASE)
    image = canvas(base * 0.85 + 30)
    draw = ImageDraw.Draw(image)
    for _ in range(9000):
        x, y = rng.uniform(0, BASE, 2)
        r = rng.uniform(3, 6)
        tint = base[int(y), int(x)] + rng.normal(0, 40, 3)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(int(v) for v in np.clip(tint, 0, 255)))
    return image


def ink(rng: np.random.Generator) -> Image.Image:
    """Black brush strokes of varying width on warm paper."""
    paper = gradient((245, 235, 210), (230, 215, 185), BASE) + rng.normal(0, 4, (BASE, BASE, 1))
    image = canvas(paper)
    draw = ImageDraw.Draw(image)
    for _ in range(70):
        x, y = rng.uniform(0, BASE, 2)
        angle = rng.uniform(0, 2 * math.pi)
        bend = rng.normal(0, 0.08)
        width = rng.uniform(4, 18)
        for _ in range(int(rng.integers(15, 40))):
            nx, ny = x + 6 * math.cos(angle), y + 6 * math.sin(angle)
            draw.line((x, y, nx, ny), fill=(20, 20, 25), width=max(1, int(width)))
            x, y, angle, width = nx, ny, angle + bend, width * 0.97
    return image.filter(ImageFilter.GaussianBlur(0.8))


def shards(rng: np.random.Generator) -> Image.Image:
    """Overlapping angular planes in ochre, umber and slate, after the cubists' still lifes."""
    image = canvas(gradient((180, 150, 110), (110, 90, 70), BASE))
    draw = ImageDraw.Draw(image, "RGBA")
    palette = [(200, 150, 70), (120, 80, 50), (80, 95, 110), (220, 200, 160), (60, 50, 45), (160, 110, 80)]
    for _ in range(220):
        cx, cy = rng.uniform(-40, BASE + 40, 2)
        points = [(cx + rng.normal(0, 60), cy + rng.normal(0, 60)) for _ in range(3)]
        colour = palette[rng.integers(0, len(palette))]
        draw.polygon(points, fill=colour + (170,), outline=(40, 30, 25, 200))
    return image


BUILTINS: dict[str, BuiltIn] = {
    "lighthouse": BuiltIn("Lighthouse", "content", "A lighthouse on a headland at sunset.", lighthouse),
    "house": BuiltIn("House", "content", "A house under a tree on a summer day.", house),
    "mountains": BuiltIn("Mountains", "content", "Mountains mirrored in a lake.", mountains),
    "swirls": BuiltIn("Swirls", "style", "Swirling blue and gold brush strokes.", swirls),
    "mosaic": BuiltIn("Mosaic", "style", "Bright glass tiles with dark lead between them.", mosaic),
    "dots": BuiltIn("Dots", "style", "Pointillist dabs of pure colour.", dots),
    "ink": BuiltIn("Ink", "style", "Black brush strokes on warm paper.", ink),
    "shards": BuiltIn("Shards", "style", "Angular planes in ochre, umber and slate.", shards),
}


@functools.lru_cache(maxsize=None)
def drawn(name: str) -> Image.Image:
    """The built-in picture at full size, drawn once per process."""
    seed = sum(map(ord, name))  # fixed per picture
    return BUILTINS[name].draw(np.random.default_rng(seed)).convert("RGB")


def builtin_image(name: str, size: tuple[int, int]) -> np.ndarray:
    """A built-in picture as uint8 (height, width, 3), scaled and centre-cropped to ``size`` (width, height)."""
    from playground.data.images import fit

    return np.asarray(fit(drawn(name), size), dtype=np.uint8)
