"""The network drawing at every screen width: its labels and buttons never overlap, nothing is cut off."""
import pytest

pytestmark = pytest.mark.browser

WIDTHS = [360, 390, 480, 760, 761, 1024, 1180, 1181, 1280, 1440, 1920]

OVERLAPS = """() => {
    const diagram = document.querySelector('#diagram-slot .net-diagram');
    const parts = [...diagram.querySelectorAll('.layer-count button, .layer-count span, .neuron-buttons button, .neuron-count, .node-label, .node')];
    const box = (el) => el.getBoundingClientRect();
    const name = (el) => `${el.className} "${el.textContent.trim() || el.getAttribute('aria-label') || el.title}"`;
    const problems = [];
    const outer = box(diagram);
    for (const el of parts) {
        const r = box(el);
        if (r.left < outer.left - 0.5 || r.right > outer.right + 0.5) problems.push(`${name(el)} is cut off`);
    }
    for (let i = 0; i < parts.length; i++) for (let j = i + 1; j < parts.length; j++) {
        const [a, b] = [parts[i], parts[j]];
        if (a.contains(b) || b.contains(a)) continue;
        const [p, q] = [box(a), box(b)];
        const x = Math.min(p.right, q.right) - Math.max(p.left, q.left);
        const y = Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top);
        if (x > 0.5 && y > 0.5) problems.push(`${name(a)} overlaps ${name(b)}`);
    }
    return problems;
}"""

LAID_OUT = """() => {
    const diagram = document.querySelector('#diagram-slot .net-diagram');
    const frame = diagram?.parentElement;
    return frame && frame.clientWidth > 0 && diagram.dataset.laidOutFor === String(frame.clientWidth);
}"""


def overlaps_at(page, width: int) -> list[str]:
    page.set_viewport_size({"width": width, "height": 900})
    page.wait_for_function(LAID_OUT)
    return [f"{width} px: {problem}" for problem in page.evaluate(OVERLAPS)]


@pytest.mark.parametrize("hidden, where", [("6,6,6,6,6,6", 1440), ("4,2", 390), ("8,8,8,8,8,8", 1280)])
def test_neuron_labels_and_buttons_do_not_overlap(open_page, server_url, hidden, where):
    page = open_page(where, 900)
    page.goto(f"{server_url}/basics#hidden={hidden}&features=x1,x2,x1sq,x2sq,x1x2,sinx1,sinx2")
    page.wait_for_function(LAID_OUT)
    assert page.locator("#diagram-slot .neuron-count").count() == len(hidden.split(","))
    assert overlaps_at(page, where) == []


def test_the_drawing_fits_or_scrolls_at_every_width_without_overlaps(open_page, server_url):
    page = open_page(1440, 900)
    problems = []
    for hidden in ("8,8,8,8,8,8", "4,2", ""):
        page.goto(f"{server_url}/basics#hidden={hidden}")
        page.wait_for_function(LAID_OUT)
        for width in WIDTHS:
            problems += [f"hidden={hidden}, {p}" for p in overlaps_at(page, width)]
            scrolls = page.evaluate("() => { const f = document.querySelector('#diagram-slot .net-frame'); return f.scrollWidth > f.clientWidth + 1; }")
            hint = page.locator("#diagram-slot .net-scroll-hint")
            if scrolls:
                assert hint.is_visible(), f"hidden={hidden} at {width} px scrolls without saying so"
            else:
                assert hint.is_hidden()
            if hidden == "4,2" and width >= 360:
                assert not scrolls, f"two hidden layers scroll at {width} px"
    assert problems == []
