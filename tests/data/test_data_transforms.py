"""Per-batch transforms on the device: normalisation of uint8 images, random crops and flips from a generator."""
import pytest
import torch
import torch.nn.functional as F

from playground.data.split import Split
from playground.data.transforms import Augment, Normalize, random_crop, random_flip


def batch(n: int = 16, channels: int = 3, size: int = 5) -> torch.Tensor:
    return torch.randint(0, 256, (n, channels, size, size), dtype=torch.uint8, generator=torch.Generator().manual_seed(0))


def test_normalize_takes_bytes_to_standardised_floats_per_channel():
    x = batch()
    out = Normalize([0.5, 0.4, 0.3], [0.2, 0.25, 0.5])(x)
    assert out.dtype == torch.float32 and out.shape == x.shape
    expected = (x.float() / 255 - torch.tensor([0.5, 0.4, 0.3]).view(1, 3, 1, 1)) / torch.tensor([0.2, 0.25, 0.5]).view(1, 3, 1, 1)
    assert torch.allclose(out, expected, atol=1e-6)
    assert torch.allclose(Normalize(0.5, 0.5)(x), (x.float() / 255 - 0.5) / 0.5, atol=1e-6)
    assert torch.equal(Normalize(scale=1.0)(torch.tensor([[2.0, 3.0]])), torch.tensor([[2.0, 3.0]]))
    with pytest.raises(ValueError, match="above zero"):
        Normalize(0.5, 0.0)


def test_a_random_crop_is_a_window_of_the_zero_padded_image():
    x = batch(100)
    out = random_crop(x, 2, torch.Generator().manual_seed(3))
    assert out.dtype == torch.uint8 and out.shape == x.shape
    padded = F.pad(x, (2, 2, 2, 2))
    for image, crop in zip(padded, out):
        windows = [image[:, r : r + 5, c : c + 5] for r in range(5) for c in range(5)]
        assert any(torch.equal(crop, window) for window in windows)
    unmoved = sum(torch.equal(crop, image) for crop, image in zip(out, x))
    assert 0 < unmoved < 15  # offset (2, 2), the image where it was, is one place in 25


def test_a_random_flip_mirrors_some_images_and_leaves_the_rest():
    x = batch(32)
    out = random_flip(x, torch.Generator().manual_seed(1))
    flipped = [torch.equal(o, i.flip(-1)) for o, i in zip(out, x)]
    kept = [torch.equal(o, i) for o, i in zip(out, x)]
    assert all(f or k for f, k in zip(flipped, kept)) and 5 < sum(flipped) < 27


def test_augmentation_is_the_same_for_the_same_generator_state():
    x, augment = batch(), Augment(crop_padding=3, flip=True)
    first, second = augment(x, torch.Generator().manual_seed(7)), augment(x, torch.Generator().manual_seed(7))
    assert torch.equal(first, second) and not torch.equal(first, augment(x, torch.Generator().manual_seed(8)))
    assert torch.equal(Augment()(x, torch.Generator()), x)


def test_a_split_augments_training_batches_only():
    x, y = batch(), torch.arange(16)
    split = Split(x, y, transform=Normalize(0.5, 0.5), augment=Augment(crop_padding=2, flip=True))
    indices = torch.tensor([3, 1, 4])
    inputs, targets = split.training_batch(indices, torch.Generator().manual_seed(0))
    assert inputs.dtype == torch.float32 and targets.tolist() == [3, 1, 4]
    assert not torch.equal(inputs, split.inputs(x[indices]))
    assert torch.equal(split.inputs(x[indices]), Normalize(0.5, 0.5)(x[indices]))
    assert len(split) == 16
