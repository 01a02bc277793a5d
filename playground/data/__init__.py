"""Datasets as plain numpy and PyTorch (no Django): the toy 2-D sets (toy.py), IDX files (idx.py),
a split held on the device (split.py) and the per-batch transforms applied there (transforms.py)."""
