"""./manage.py fetch_weights NAME... : download pretrained weights into $LAYERLAB_DATA_DIR/weights, checked."""
from __future__ import annotations

from playground.files.management.commands import fetch_datasets


class Command(fetch_datasets.Command):
    help = "Download pretrained weights (vgg19) with their checksums checked."
    kind = "weights"
