"""The annotation web app (``bench human serve``): Starlette, Jinja2 templates, plain JS.

Every URL carries a secret token: ``/a/<token>/...`` for an annotator (their own pages
only; another annotator's page answers 403), ``/admin/<token>`` for the admin page
(progress and agreement), ``/static/<token>/...`` for the script and the style sheet.
No token, or a wrong one, answers 401 or 403. Systems are never named to annotators:
a page knows its summaries by their shown position only. Templates escape every text;
the Content-Security-Policy allows nothing but this server's own script and styles.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

from benchmark.human.answers import MAX_BODY, InvalidAnswer, parse_answer, parse_note
from benchmark.human.export import rating_lines
from benchmark.human.store import Study, Task

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
    import jinja2
    from starlette.applications import Starlette
    from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
    from starlette.routing import Route

    study = Study(study_path)
    templates = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"),
                                   autoescape=True, undefined=jinja2.StrictUndefined)

    def html(name: str, status: int = 200, **context) -> Response:
        page = templates.get_template(name).render(study=study, letters=LETTERS, **context)
        return Response(page, status_code=status, media_type="text/html; charset=utf-8")

    def refuse(status: int) -> Response:
        words = {401: "a private link is needed", 403: "this link does not open this page"}
        return PlainTextResponse(words.get(status, "not found"), status_code=status)

    def annotator(request) -> str | Response:
        name = study.annotator_for(request.path_params["token"])
        return name if name is not None else refuse(403)

    def own_task(request, name: str) -> Task | Response:
        task = study.task(request.path_params["task"])
        if task is None or task.annotator != name:
            return refuse(403)
        return task

    async def start(request):
        name = annotator(request)
        if isinstance(name, Response):
            return name
        pages = study.pages(name)
        first = next((p for p in pages if not p.done), None)
        token = request.path_params["token"]
        if first is None:
            return html("done.html", token=token, total=len(pages))
        return RedirectResponse(f"/a/{token}/page/{first.task}", status_code=303)

    async def page(request):
        name = annotator(request)
        if isinstance(name, Response):
            return name
        task = own_task(request, name)
        if isinstance(task, Response):
            return task
        return html("page.html", **page_context(study, task, request.path_params["token"]))

    async def answer(request):
        name = annotator(request)
        if isinstance(name, Response):
            return name
        task = own_task(request, name)
        if isinstance(task, Response):
            return task
        try:
            body = await read_json(request)
            item = study.item(task.item)
            if request.path_params["kind"] == "note":
                comment, cannot_judge = parse_note(body)
                study.save_note(task.id, comment=comment, cannot_judge=cannot_judge)
            else:
                given = parse_answer(body, protocol=study.protocol, criteria=study.criteria,
                                     shown=len(task.shown), units=len(item["units"]))
                study.save_answer(task.id, slot=given.slot, criterion=given.criterion,
                                  unit=given.unit, value=given.value)
        except InvalidAnswer as exc:
            return JSONResponse({"error": str(exc)}, status_code=exc.status)
        pages = study.pages(name)
        done = next(p.done for p in pages if p.task == task.id)
        return JSONResponse({"saved": True, "done": sum(p.done for p in pages),
                             "total": len(pages), "page_done": done})

    async def admin(request):
        if not study.is_admin(request.path_params["token"]):
            return refuse(403)
        exported = rating_lines(study)
        rows = agreement(exported.lines, study.protocol) if agreement and exported.lines else []
        return html("admin.html", token=request.path_params["token"],
                    progress=study.progress(), agreement=rows, exported=exported)

    async def static(request):
        token, name = request.path_params["token"], request.path_params["name"]
        if study.annotator_for(token) is None and not study.is_admin(token):
            return refuse(403)
        if name not in STATIC:
            return refuse(404)
        return Response((HERE / "static" / name).read_bytes(), media_type=STATIC[name])

    async def no_token(request):
        return refuse(401)

    routes = [
        Route("/a/{token}/", start), Route("/a/{token}", start),
        Route("/a/{token}/page/{task:int}", page),
        Route("/a/{token}/page/{task:int}/{kind:str}", answer, methods=["POST"]),
        Route("/admin/{token}", admin),
        Route("/static/{token}/{name}", static),
        Route("/{rest:path}", no_token, methods=["GET", "POST", "HEAD"]),
    ]
    return SecurityHeaders(Starlette(routes=routes))


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


def serve(study_path: Path, *, host: str, port: int, agreement: Agreement | None = None) -> None:
    """Run the app with uvicorn until interrupted."""
    import uvicorn

    uvicorn.run(create_app(study_path, agreement=agreement), host=host, port=port,
                log_level="warning", server_header=False)
