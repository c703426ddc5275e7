"""The annotation web app (``bench human serve``): Starlette, Jinja2 templates, plain JS.

Every URL carries a secret token: ``/a/<token>/...`` for an annotator (their own pages
only; another annotator's page answers 403), ``/admin/<token>`` for the admin page
(progress and agreement), ``/static/<token>/...`` for the script and the style sheet.
No token, or a wrong one, answers 401 or 403. Systems are never named to annotators:
a page knows its summaries by their shown position only. Templates escape every text
(HTML, then control and bidi characters shown as escapes: `benchmark.textshow`);
the Content-Security-Policy allows nothing but this server's own script and styles.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

from benchmark.human.answers import MAX_BODY, InvalidAnswer, parse_answer, parse_note
from benchmark.human.export import rating_lines
from benchmark.human.store import Study, Task
from benchmark.textshow import LINES, escape

HERE = Path(__file__).parent
STATIC = {"app.js": "text/javascript", "style.css": "text/css"}
LETTERS = "أبجدهوزحطيكلمنسعفصقرشتثخذضظغ"
SECURITY_HEADERS = {
    "content-security-policy": "default-src 'none'; script-src 'self'; style-src 'self'; "
                               "connect-src 'self'; img-src 'self'; form-action 'none'; "
                               "frame-ancestors 'none'; base-uri 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cache-control": "no-store",
}

# agreement(rating lines, protocol) -> rows of {criterion, alpha, low, high, level, ...}
Agreement = Callable[[list[dict[str, Any]], str], list[dict[str, Any]]]


class SecurityHeaders:
    """ASGI middleware: the security headers on every response, errors included."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        async def with_headers(message):
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.decode().lower() not in SECURITY_HEADERS]
                headers += [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


def create_app(study_path: Path, *, agreement: Agreement | None = None):
    """The ASGI app of one study."""
    from starlette.applications import Starlette
    from starlette.routing import Route

    handlers = _Handlers(Study(study_path), agreement)
    routes = [
        Route("/a/{token}/", handlers.start), Route("/a/{token}", handlers.start),
        Route("/a/{token}/page/{task:int}", handlers.page),
        Route("/a/{token}/page/{task:int}/{kind:str}", handlers.answer, methods=["POST"]),
        Route("/admin/{token}", handlers.admin),
        Route("/static/{token}/{name}", handlers.static),
        Route("/{rest:path}", handlers.no_token, methods=["GET", "POST", "HEAD"]),
    ]
    return SecurityHeaders(Starlette(routes=routes))


class _Handlers:
    """The app's endpoints; each checks the token of its URL first."""

    def __init__(self, study: Study, agreement: Agreement | None):
        import jinja2

        self.study = study
        self.agreement = agreement
        self.templates = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"),
                                            autoescape=True, undefined=jinja2.StrictUndefined,
                                            finalize=_shown)

    def html(self, name: str, **context):
        from starlette.responses import Response

        page = self.templates.get_template(name).render(study=self.study, letters=LETTERS,
                                                         **context)
        return Response(page, media_type="text/html; charset=utf-8")

    @staticmethod
    def refuse(status: int):
        from starlette.responses import PlainTextResponse

        words = {401: "a private link is needed", 403: "this link does not open this page"}
        return PlainTextResponse(words.get(status, "not found"), status_code=status)

    def own_task(self, request) -> tuple[str | None, Task | None]:
        """The annotator of the URL's token and the URL's page, when it is theirs."""
        name = self.study.annotator_for(request.path_params["token"])
        if name is None or "task" not in request.path_params:
            return name, None
        task = self.study.task(request.path_params["task"])
        return name, task if task is not None and task.annotator == name else None

    async def start(self, request):
        from starlette.responses import RedirectResponse

        name, _ = self.own_task(request)
        if name is None:
            return self.refuse(403)
        pages = self.study.pages(name)
        first = next((p for p in pages if not p.done), None)
        token = request.path_params["token"]
        if first is None:
            return self.html("done.html", token=token, total=len(pages))
        return RedirectResponse(f"/a/{token}/page/{first.task}", status_code=303)

    async def page(self, request):
        name, task = self.own_task(request)
        if task is None:
            return self.refuse(403)
        return self.html("page.html", **page_context(self.study, task,
                                                     request.path_params["token"]))

    async def answer(self, request):
        from starlette.responses import JSONResponse

        name, task = self.own_task(request)
        if task is None:
            return self.refuse(403)
        try:
            self.save(task, request.path_params["kind"], await read_json(request))
        except InvalidAnswer as exc:
            return JSONResponse({"error": str(exc)}, status_code=exc.status)
        pages = self.study.pages(name)
        done = next(p.done for p in pages if p.task == task.id)
        return JSONResponse({"saved": True, "done": sum(p.done for p in pages),
                             "total": len(pages), "page_done": done})

    def save(self, task: Task, kind: str, body: Any) -> None:
        if kind == "note":
            comment, cannot_judge = parse_note(body)
            self.study.save_note(task.id, comment=comment, cannot_judge=cannot_judge)
            return
        given = parse_answer(body, protocol=self.study.protocol, criteria=self.study.criteria,
                             shown=len(task.shown),
                             units=len(self.study.item(task.item)["units"]))
        self.study.save_answer(task.id, slot=given.slot, criterion=given.criterion,
                               unit=given.unit, value=given.value)

    async def admin(self, request):
        if not self.study.is_admin(request.path_params["token"]):
            return self.refuse(403)
        exported = rating_lines(self.study)
        rows = (self.agreement(exported.lines, self.study.protocol)
                if self.agreement and exported.lines else [])
        order = {criterion: n for n, criterion in enumerate(self.study.criteria)}
        rows.sort(key=lambda row: order.get(row["criterion"], len(order)))
        return self.html("admin.html", token=request.path_params["token"],
                         progress=self.study.progress(), agreement=rows, exported=exported)

    async def static(self, request):
        from starlette.responses import Response

        token, name = request.path_params["token"], request.path_params["name"]
        if self.study.annotator_for(token) is None and not self.study.is_admin(token):
            return self.refuse(403)
        if name not in STATIC:
            return self.refuse(404)
        return Response((HERE / "static" / name).read_bytes(), media_type=STATIC[name])

    async def no_token(self, request):
        return self.refuse(401)


async def read_json(request) -> Any:
    """The request's JSON body, at most `MAX_BODY` bytes, sent as application/json (a
    form post from another site cannot be)."""
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        raise InvalidAnswer("expected application/json", 415)
    if request.path_params["kind"] not in ("answer", "note"):
        raise InvalidAnswer("no such action", 404)
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise InvalidAnswer(f"request body over {MAX_BODY} bytes", 413)
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise InvalidAnswer("not valid JSON", 400) from None


def page_context(study: Study, task: Task, token: str) -> dict[str, Any]:
    """What page.html shows: the item, the summaries by shown position (never by
    system), the questions and the answers given so far."""
    item = study.item(task.item)
    pages = study.pages(task.annotator)
    index = next(i for i, p in enumerate(pages) if p.task == task.id)
    note, cannot_judge = study.note(task.id)
    answers = {f"{slot}|{criterion}|{unit}": value
               for (slot, criterion, unit), value in study.answers(task.id).items()}
    return {
        "token": token, "task": task, "item": item,
        "paragraphs": [p for p in item["article"].split("\n") if p.strip()],
        "summaries": [item["summaries"][system].split("\n") for system in task.shown],
        "answers": answers, "answers_json": json.dumps(answers),
        "comment": note, "cannot_judge": cannot_judge,
        "number": index + 1, "total": len(pages), "done": sum(p.done for p in pages),
        "previous": pages[index - 1].task if index > 0 else None,
        "next": pages[index + 1].task if index + 1 < len(pages) else None,
    }


def _shown(value: Any) -> Any:
    """Every ``{{ value }}`` of a template: texts with control and bidi characters shown
    as escapes (markup the templates build themselves stays markup)."""
    if not isinstance(value, str):
        return value
    shown = escape(value, keep=LINES)
    return type(value)(shown) if shown is not value else value


def serve(study_path: Path, *, host: str, port: int, agreement: Agreement | None = None) -> None:
    """Run the app with uvicorn until interrupted."""
    import uvicorn

    uvicorn.run(create_app(study_path, agreement=agreement), host=host, port=port,
                log_level="warning", server_header=False)
