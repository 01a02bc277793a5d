"""Datasets and uploads as plain numpy and PyTorch (no Django): the toy 2-D sets live in toy.py."""
