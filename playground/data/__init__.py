"""Datasets as plain numpy and PyTorch (no Django): the toy 2-D sets (toy.py), IDX files (idx.py),
CIFAR-10's batches (cifar.py), a split held on the device (split.py) and the per-batch transforms
applied there (transforms.py); datasets and weights on disk (catalog.py, fetch.py); and uploads,
checked before anything in them is decoded or kept (uploads.py, images.py, image_folders.py)."""
