"""Shared helpers for the browser tests (Chromium through pytest-playwright, against the live
server on the demo data): a logged-in page that fails on console errors and checks
accessibility with axe-core, and the phone-width check.

Plain helpers, imported where used; the `live_demo` fixture is in conftest.py."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "artifacts" / "screenshots"
PASSWORD = "browser-demo-password"  # every demo login's, in the browser tests
PHONE = 390  # px: the narrowest phone the pages are checked at


class Session:
    """One logged-in browser page that records console errors and checks accessibility."""

    def __init__(self, browser, base_url, username, width=1280):
        self.context = browser.new_context(viewport={"width": width, "height": 900})
        self.page = self.context.new_page()
        self.base = base_url
        self.errors: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(self.base + "/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", PASSWORD)
        self.page.click("button[type=submit]")
        self.page.wait_for_load_state()

    def go(self, path, shot=None):
        self.page.goto(self.base + path)
        if shot:
            SHOTS.mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=str(SHOTS / f"{shot}.png"), full_page=True)
        self.check_accessibility()
        return self.page

    def check_accessibility(self):
        """No serious or critical axe-core violation on the page as it is now."""
        import axe_playwright_python

        axe = Path(axe_playwright_python.__file__).parent / "axe.min.js"
        # Evaluated through the debugging protocol, not an inline <script>: the pages'
        # Content-Security-Policy allows no inline script.
        self.page.evaluate(axe.read_text())
        result = self.page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        serious = [
            f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)"
            for v in result["violations"]
            if v["impact"] in {"serious", "critical"}
        ]
        assert serious == [], serious

    def close(self):
        self.context.close()
        assert self.errors == [], self.errors


STICKING_OUT = f"""[...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > {PHONE + 1} && !e.closest('.table-wrap'))
  .slice(0, 8).map(e => `${{e.tagName.toLowerCase()}}.${{e.className}}#${{e.id}}`)"""


def fits_a_phone(page) -> None:
    """No sideways scroll at phone width (tables scroll inside their own box); on failure,
    name what reaches past the right edge."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE, (page.url, width, page.evaluate(STICKING_OUT))
