"""Share links and accounts in a real browser: the same settings give the same link, the link
restores the page exactly, a private run's link gives 404 to another visitor, and signing up
keeps an anonymous visitor's runs."""
import re

import pytest
from playwright.sync_api import expect

from generic_events import generic_events
from handmade_run import as_owner, hand_made_run
from share_link import share

pytestmark = pytest.mark.browser

SETTINGS = "dataset=spiral&hidden=5,3&noise=10&learning_rate=0.1&activation=relu&features=x1,x2,x1sq&seed=7"



def test_a_share_link_round_trip(open_page, server_url):
    first, second = open_page(), open_page()
    first.goto(f"{server_url}/basics#{SETTINGS}")
    first.wait_for_function("location.hash.includes('n_points')")
    original = first.evaluate("location.hash")
    link = share(first)
    second.goto(f"{server_url}/basics#{SETTINGS}")
    assert share(second) == link  # another visitor, the same settings: the same link
    first.goto(f"{server_url}/basics#{SETTINGS.replace('seed=7', 'seed=8')}")
    first.reload()  # a new hash alone is read by the page a moment later; a load reads it before Share exists
    assert share(first) != link

    opened = open_page()
    opened.goto(link)
    expect(opened).to_have_url(re.compile(r"/basics#"))
    assert opened.evaluate("location.hash") == original
    expect(opened.get_by_role("radio", name="Spiral")).to_be_checked()
    expect(opened.get_by_label("Learning rate")).to_have_value("0.1")
    html = opened.request.get(link).text()
    assert 'property="og:image"' in html
    picture = opened.request.get(link + "/preview.png")
    assert picture.ok and picture.headers["content-type"] == "image/png"


def test_a_private_runs_link_gives_404_to_another_visitor(open_page, server_env, server_url, expected_console_errors):
    expected_console_errors.append(r"status of 404 \(Not Found\)")
    run = hand_made_run(server_env, "basics", generic_events())
    owner, other = open_page(), open_page()
    as_owner(owner, server_url, run)
    owner.goto(f"{server_url}/runs/{run['id']}")
    link = owner.locator("#share-link").input_value()
    other.goto(link)
    expect(other.locator(".status-line")).not_to_have_text("Loading events…", timeout=10_000)
    assert other.request.get(f"{server_url}/api/runs/{run['id']}?token={run['share_token']}").status == 200
    owner.get_by_label("Who sees this run").select_option("private")
    expect(owner.locator(".visibility [role=status]")).to_have_text("Saved.")
    assert other.request.get(f"{server_url}/api/runs/{run['id']}?token={run['share_token']}").status == 404
    assert other.request.get(f"{server_url}/api/runs/{run['id']}/events?token={run['share_token']}").status == 404
    other.goto(link)
    expect(other.locator("#run")).to_contain_text("there is no run", timeout=10_000)
    assert owner.request.get(f"{server_url}/api/runs/{run['id']}").status == 200


def test_signing_up_keeps_the_visitors_runs_and_makes_tokens(open_page, server_env, server_url, expected_console_errors):
    expected_console_errors.append(r"status of 400 \(Bad Request\)")  # the refused short password
    page = open_page()
    page.goto(f"{server_url}/basics#epochs=3&grid_every=3")
    page.get_by_role("button", name="Train").click()
    expect(page.locator("#status-line")).to_contain_text("Finished", timeout=60_000)
    page.goto(f"{server_url}/account/signup")
    page.get_by_label("User name").fill("newcomer")
    page.get_by_label("E-mail").fill("newcomer@example.org")
    page.get_by_label("Password").fill("short")
    page.get_by_role("button", name="Sign up").click()
    expect(page.locator(".field-error").last).to_contain_text("too short")
    page.get_by_label("Password").fill("plum-orbit-4471")
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_url(f"{server_url}/my/runs")
    expect(page.get_by_role("link", name="newcomer")).to_be_visible()
    expect(page.locator(".runs-table tbody tr")).to_have_count(1)
    expect(page.locator(".runs-table tbody tr")).to_contain_text("succeeded")
    page.get_by_role("link", name="newcomer").click()
    page.get_by_role("button", name="Make a token").click()
    token = page.locator(".token-text").text_content()
    assert token.startswith("llp_")
    me = page.request.get(f"{server_url}/api/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["username"] == "newcomer"
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()


@pytest.mark.parametrize("name", ["cnn", "text"])
def test_every_task_page_shares_its_settings(open_page, server_url, name):
    """The other task pages get Share and /s/<slug> from the same shared pieces."""
    page = open_page()
    page.goto(f"{server_url}/{name}")
    page.wait_for_function("location.hash.length > 1")
    original = page.evaluate("location.hash")
    link = share(page)
    opened = open_page()
    opened.goto(link)
    expect(opened).to_have_url(re.compile(rf"/{name}#"))
    assert opened.evaluate("location.hash") == original


def test_compare_shows_runs_seen_through_their_share_tokens(open_page, server_env, server_url):
    first, second = (hand_made_run(server_env, "basics", generic_events()) for _ in range(2))
    visitor = open_page()  # owns neither run: only the tokens let it see them
    visitor.goto(f"{server_url}/compare?runs={first['id']}:{first['share_token']},{second['id']}:{second['share_token']}")
    key = visitor.locator(".compare-key li")
    expect(key).to_have_count(2, timeout=15_000)
    expect(key.first.get_by_role("link")).to_have_attribute("href", f"/runs/{first['id']}?token={first['share_token']}")
    expect(visitor.locator(".compare-chart").first).to_be_visible()


@pytest.mark.parametrize("task, setting, label, value", [
    ("cnn", "epochs=7", "Epochs", "7"),
    ("text", "steps=321", "Steps", "321"),
    ("style", "size=48", "Size (px)", "48"),
])
def test_share_on_every_page_gives_a_link_that_restores_it(open_page, server_url, task, setting, label, value):
    first = open_page()
    first.goto(f"{server_url}/{task}#{setting}")
    first.wait_for_function(f"location.hash.includes({setting!r})")
    link = share(first)
    opened = open_page()
    opened.goto(link)
    expect(opened).to_have_url(re.compile(rf"/{task}#.*{setting}"))
    expect(opened.get_by_label(label, exact=True)).to_have_value(value)
