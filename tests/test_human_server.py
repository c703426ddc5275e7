"""The annotation app's security on a real uvicorn server on 127.0.0.1: tokens on every
request, each annotator confined to their own pages, every input validated, every text
escaped, and a strict Content-Security-Policy on every response."""

from __future__ import annotations

import re

import pytest

from benchmark.human.answers import MAX_BODY, MAX_COMMENT
from benchmark.human.rubric import load_rubric
from benchmark.human.sampling import ItemInput, SystemInput, make_plan
from benchmark.human.store import Study, create_study
from human_server import request, running_app

XSS = ['<script>alert("x")</script>', '"><img src=x onerror=alert(1)>',
       "</textarea><script>alert(2)</script>", "{{ 7*7 }}"]
ARTICLE = "افتتح وزير النقل الطريق الجديد في دمشق صباح الأحد. وقال إن الكلفة بلغت خمسة ملايين."


def make_study(tmp_path, *, protocol="likert", criteria=None, systems=None):
    items = {f"item{i}": ItemInput(f"item{i}", ARTICLE + f" {i}" * (i + 1),
                                   ("افتتح الوزير الطريق، وقال إن الكلفة خمسة ملايين",))
             for i in range(4)}
    systems = systems or [
        SystemInput("system-alpha", "/runs/alpha", {i: f"ملخص أول {XSS[0]} {i}" for i in items}),
        SystemInput("system-beta", "/runs/beta", {i: f"{XSS[1]}\n{XSS[2]} {XSS[3]}" for i in items}),
    ]
    rubric = load_rubric()
    plan = make_plan(protocol=protocol, criteria=criteria or ["fluency", "coverage"],
                     rubric=rubric, systems=systems, examples=items, dataset="test@sha256:0",
                     n_items=4, annotators=["ann", "bob"], per_item=1, seed=3,
                     units="clauses")
    path = tmp_path / "study.sqlite"
    create_study(path, plan)
    return Study(path)


@pytest.fixture
def served(tmp_path):
    study = make_study(tmp_path)
    with running_app(study.path, agreement=lambda lines, protocol: []) as base:
        yield study, base


def page_url(base, study, name, index=0):
    token = study.tokens()[name]
    task = study.tasks_of(name)[index]
    return f"{base}/a/{token}/page/{task.id}", task


def test_no_token_is_401_and_a_wrong_one_403(served):
    study, base = served
    for path in ("/", "/a/", "/admin/", "/static/", "/anything/else"):
        assert request(base + path).status == 401, path
    assert request(base + "/", method="POST", body=b"{}").status == 401
    assert request(f"{base}/a/not-a-token/").status == 403
    assert request(f"{base}/admin/not-a-token").status == 403
    assert request(f"{base}/static/not-a-token/app.js").status == 403
    # a token of the right length but wrong value: still refused
    token = study.tokens()["ann"]
    assert request(f"{base}/a/{token[:-1]}{'A' if token[-1] != 'A' else 'B'}/").status == 403


def test_an_annotator_opens_only_their_own_pages(served):
    study, base = served
    ann, bob = study.tokens()["ann"], study.tokens()["bob"]
    start = request(f"{base}/a/{ann}/")
    assert start.status == 303
    first = study.tasks_of("ann")[0]
    assert start.headers["location"] == f"/a/{ann}/page/{first.id}"
    for task in study.tasks_of("bob"):
        assert request(f"{base}/a/{ann}/page/{task.id}").status == 403
        answer = request(f"{base}/a/{ann}/page/{task.id}/answer",
                         json_body={"slot": 0, "criterion": "fluency", "value": 3})
        assert answer.status == 403
        assert request(f"{base}/a/{bob}/page/{task.id}").status == 200
    assert request(f"{base}/a/{ann}/page/999999").status == 403
    assert request(f"{base}/admin/{ann}").status == 403  # an annotator is not the admin
    assert request(f"{base}/a/{study.admin_token}/").status == 403  # nor the admin one
    assert study.answers(study.tasks_of("bob")[0].id) == {}


def test_pages_never_name_the_systems_and_escape_every_text(served):
    study, base = served
    for name in ("ann", "bob"):
        for index in range(len(study.tasks_of(name))):
            url, _ = page_url(base, study, name, index)
            page = request(url)
            assert page.status == 200
            html = page.text
            assert "system-alpha" not in html and "system-beta" not in html
            assert "/runs/" not in html
            for raw in XSS[:3]:
                assert raw not in html
            assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
            assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in html
            assert "{{ 7*7 }}" in html and ">49<" not in html  # a template is not run
            scripts = re.findall(r"<script[^>]*>", html)
            assert scripts == [f'<script src="/static/{study.tokens()[name]}/app.js">']


def test_every_response_carries_the_security_headers(served):
    study, base = served
    url, _ = page_url(base, study, "ann")
    for reply in (request(url), request(base + "/"), request(f"{base}/a/x/"),
                  request(f"{base}/admin/{study.admin_token}"),
                  request(url + "/answer", json_body={"criterion": "nope"})):
        csp = reply.headers["content-security-policy"]
        assert "default-src 'none'" in csp and "script-src 'self'" in csp
        assert "unsafe-inline" not in csp
        assert reply.headers["x-content-type-options"] == "nosniff"
        assert reply.headers["referrer-policy"] == "no-referrer"
        assert reply.headers["cache-control"] == "no-store"


@pytest.mark.parametrize("body, status, why", [
    ({"slot": 0, "criterion": "fluency", "value": 4}, 200, "a valid answer"),
    ({"slot": 0, "criterion": "fluency", "value": 6}, 422, "likert is 1 to 5"),
    ({"slot": 0, "criterion": "fluency", "value": 0}, 422, "likert is 1 to 5"),
    ({"slot": 0, "criterion": "fluency", "value": "4"}, 422, "a string is not a score"),
    ({"slot": 0, "criterion": "fluency", "value": True}, 422, "a boolean is not a score"),
    ({"slot": 0, "criterion": "fluency", "value": 3.5}, 422, "a half point is not a choice"),
    ({"slot": 2, "criterion": "fluency", "value": 4}, 422, "two summaries on the page"),
    ({"slot": -1, "criterion": "fluency", "value": 4}, 422, "no negative slot"),
    ({"slot": 0, "criterion": "conciseness", "value": 4}, 422, "not a criterion of the study"),
    ({"slot": 0, "criterion": ["fluency"], "value": 4}, 422, "criterion must be text"),
    ({"slot": 0, "criterion": "fluency", "unit": 0, "value": 4}, 422, "likert has no units"),
    ([1, 2], 400, "not an object"),
])
def test_answers_are_validated(served, body, status, why):
    study, base = served
    url, task = page_url(base, study, "ann")
    reply = request(url + "/answer", json_body=body)
    assert reply.status == status, why
    stored = study.answers(task.id)
    assert stored == ({(0, "fluency", -1): "4"} if status == 200 else {}), why


def test_malformed_and_oversized_requests_are_refused(served):
    study, base = served
    url, task = page_url(base, study, "ann")
    assert request(url + "/answer", body=b"{not json").status == 400
    assert request(url + "/answer", body=b"\xff\xfe").status == 400
    form = request(url + "/answer", body=b"slot=0&value=4",
                   content_type="application/x-www-form-urlencoded")
    assert form.status == 415  # a cross-site form post cannot send application/json
    big = request(url + "/note", body=b'{"comment": "' + b"x" * MAX_BODY + b'"}')
    assert big.status == 413
    long_comment = request(url + "/note", json_body={"comment": "ت" * (MAX_COMMENT + 1)})
    assert long_comment.status == 413
    assert request(url + "/note", json_body={"cannot_judge": "yes"}).status == 422
    assert request(url + "/delete", json_body={}).status == 404
    assert study.note(task.id) == ("", False)
    ok = request(url + "/note", json_body={"comment": XSS[2], "cannot_judge": True})
    assert ok.status == 200 and ok.json()["page_done"] is True
    assert study.note(task.id) == (XSS[2], True)
    page = request(url).text  # the comment comes back escaped inside the textarea
    assert "&lt;/textarea&gt;&lt;script&gt;alert(2)&lt;/script&gt;</textarea>" in page


def test_units_and_pairwise_answers_are_checked_against_the_page(tmp_path):
    units = make_study(tmp_path / "u", protocol="units", criteria=["content"])
    pair = make_study(tmp_path / "p", protocol="pairwise")
    with running_app(units.path) as base:
        url, task = page_url(base, units, "ann")
        n_units = len(units.item(task.item)["units"])
        assert n_units == 2  # the reference cut at its comma
        good = {"slot": 1, "criterion": "content", "unit": n_units - 1, "value": 1}
        assert request(url + "/answer", json_body=good).status == 200
        for bad in ({**good, "unit": n_units}, {**good, "unit": -1}, {**good, "value": 2}):
            assert request(url + "/answer", json_body=bad).status == 422
    with running_app(pair.path) as base:
        url, task = page_url(base, pair, "ann")
        assert len(task.shown) == 2
        good = {"slot": 0, "criterion": "coverage", "value": "tie"}
        assert request(url + "/answer", json_body=good).status == 200
        for bad in ({**good, "value": "c"}, {**good, "value": 1}, {**good, "slot": 1}):
            assert request(url + "/answer", json_body=bad).status == 422
        assert pair.answers(task.id) == {(0, "coverage", -1): "tie"}


def test_static_files_need_a_token_and_are_only_the_two(served):
    study, base = served
    token = study.tokens()["bob"]
    script = request(f"{base}/static/{token}/app.js")
    assert script.status == 200 and script.headers["content-type"].startswith("text/javascript")
    assert request(f"{base}/static/{study.admin_token}/style.css").status == 200
    assert request(f"{base}/static/{token}/..%2fstore.py").status in (401, 403, 404)
    assert request(f"{base}/static/{token}/store.py").status == 404


def test_bench_human_serve_prints_working_private_links(tmp_path):
    """The command itself: one link per annotator and the admin link, on 127.0.0.1."""
    import socket
    import subprocess
    import sys
    import time

    study = make_study(tmp_path)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "benchmark.cli", "human", "serve",
                               str(study.path), "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        links = dict(server.stdout.readline().strip().split(": ", 1) for _ in range(3))
        assert set(links) == {"ann", "bob", "admin"}
        assert links["ann"] == f"http://127.0.0.1:{port}/a/{study.tokens()['ann']}/"
        assert links["admin"] == f"http://127.0.0.1:{port}/admin/{study.admin_token}"
        deadline = time.monotonic() + 60
        while True:
            try:
                reply = request(links["admin"])
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None
                time.sleep(0.1)
        assert reply.status == 200 and "Progress" in reply.text
        assert request(links["bob"]).status == 303
    finally:
        server.terminate()
        server.wait(timeout=30)
