"""./manage.py fetch_datasets NAME... : download datasets into $LAYERLAB_DATA_DIR/datasets, checked, or say what to place by hand.

With no name it lists every dataset and whether it is there. ``all`` fetches
every one. Where the internet cannot be reached, it says which files to put
where; the site works the same with files placed by hand.
"""
from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from playground.data import catalog
from playground.data.fetch import FetchFailed, fetch


class Command(BaseCommand):
    help = "Download datasets (mnist, fashion-mnist, cifar-10, tiny-shakespeare) with their checksums checked."
    kind = "dataset"

    def add_arguments(self, parser):
        names = [entry.name for entry in catalog.CATALOG.values() if entry.kind == self.kind]
        parser.add_argument("names", nargs="*", metavar="NAME", help=f"{', '.join(names)}, or all")
        parser.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for a server to answer")

    def handle(self, *args, names: list[str], timeout: float, **options) -> None:
        data_dir = settings.DATA_DIR
        entries = {name: entry for name, entry in catalog.CATALOG.items() if entry.kind == self.kind}
        if not names:
            for entry in entries.values():
                absent = catalog.missing(data_dir, entry)
                self.stdout.write(f"{entry.name:18} {'present' if not absent else 'missing: ' + ', '.join(absent)}")
            return
        chosen = list(entries) if "all" in names else list(dict.fromkeys(names))
        unknown = [name for name in chosen if name not in entries]
        if unknown:
            raise CommandError(f"unknown: {', '.join(unknown)}; choose from {', '.join(entries)} or all")
        failures = []
        for name in chosen:
            entry = entries[name]
            where = catalog.folder(data_dir, entry)
            if not catalog.missing(data_dir, entry):
                self.stdout.write(f"{name}: already present in {where}")
                continue
            self.stdout.write(f"{name}: downloading into {where}")
            try:
                fetch(entry, data_dir, base=settings.LAYERLAB_DOWNLOAD_BASE, out=self.stderr, timeout=timeout)
            except FetchFailed as failure:
                failures.append(str(failure))
                self.stderr.write(str(failure))
                continue
            self.stdout.write(self.style.SUCCESS(f"{name}: ready, checksums match"))
        if failures:
            raise CommandError(f"{len(failures)} of {len(chosen)} could not be fetched; see above for what to place by hand")
