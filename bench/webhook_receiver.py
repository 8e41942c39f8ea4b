"""The benchmark's webhook receiver: one uvicorn process on 127.0.0.1 that verifies each delivery
with the `standardwebhooks` library and writes one line per delivery to a file, as it arrives:

    <webhook-id> TAB <time received, Unix seconds> TAB <1 if the signature verified, else 0>

It answers 204 to a verified delivery and 400 to any other (the worker then retries it).

    .venv/bin/python -m bench.webhook_receiver --port 8720 --out deliveries.tsv
    (the subscription's secret in the environment: BENCH_WEBHOOK_SECRET)
"""

import argparse
import os
import time
from typing import IO

import uvicorn
from standardwebhooks.webhooks import Webhook, WebhookVerificationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route


def receiver(secret: str, out: IO[str]) -> Starlette:
    """An app that verifies and logs every POST to /hook."""
    verifier = Webhook(secret)

    async def hook(request: Request) -> Response:
        body = await request.body()
        received = time.time()
        try:
            verifier.verify(body, dict(request.headers), json_parse=False)
            ok = True
        except WebhookVerificationError:
            ok = False
        out.write(f"{request.headers.get('webhook-id', '')}\t{received:.6f}\t{int(ok)}\n")
        out.flush()
        return Response(status_code=204 if ok else 400)

    return Starlette(routes=[Route("/hook", hook, methods=["POST"])])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    with open(args.out, "a", encoding="utf-8") as out:
        app = receiver(os.environ["BENCH_WEBHOOK_SECRET"], out)
        uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
