"""CSV responses that stream: memory stays flat however many rows there are."""

import csv
import io
from collections.abc import Iterable, Iterator

from starlette.responses import StreamingResponse


def _chunks(header: Iterable[str], rows: Iterable[list[str]], every: int = 500) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for n, row in enumerate(rows, start=1):
        writer.writerow(row)
        if n % every == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def csv_response(
    header: Iterable[str], rows: Iterable[list[str]], filename: str
) -> StreamingResponse:
    return StreamingResponse(
        _chunks(header, rows),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
