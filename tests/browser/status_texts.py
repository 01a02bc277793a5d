"""A script that keeps every text the page's status line shows, in window.statusTexts, however fast they change."""

STATUS_TEXTS = """() => {
    window.statusTexts = [];
    const line = document.getElementById('status-line');
    new MutationObserver(() => window.statusTexts.push(line.textContent)).observe(line, {childList: true, characterData: true, subtree: true});
}"""
