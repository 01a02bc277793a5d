"""`{% vite_entry "basics" %}`: the tags that load one page's built script and styles."""
from django import template
from django.templatetags.static import static
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from playground.studio.manifest import entry_assets

register = template.Library()

NOT_BUILT = (
    '<div class="not-built" role="alert"><strong>The front end is not built.</strong> '
    "Run <code>./layerlab setup</code> (it runs <code>npm ci</code> and <code>npm run build</code> "
    "in <code>frontend/</code>), then reload this page.</div>"
)


@register.simple_tag
def vite_entry(name: str) -> str:
    """Link, preload and script tags for an entry, or a plain notice when the build is missing."""
    assets = entry_assets(name)
    if assets is None:
        return mark_safe(NOT_BUILT)
    styles = format_html_join("", '<link rel="stylesheet" href="{}">', ((static(path),) for path in assets.styles))
    preloads = format_html_join("", '<link rel="modulepreload" href="{}">', ((static(path),) for path in assets.preloads))
    script = format_html('<script type="module" src="{}"></script>', static(assets.script))
    return styles + preloads + script
