"""Structured logging: one JSON object per line, for log shippers and grep alike.

Extra fields passed with `extra={...}` become keys of the object; messages keep their %-arguments.
"""

import datetime
import json
import logging

# Attributes every LogRecord has; anything else on a record came from `extra=`.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "taskName"}


class JsonLineFormatter(logging.Formatter):
    """Formats a record as a single line of JSON: time, level, logger, message, extras, exception."""

    def format(self, record):
        data = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_") and key not in data:
                data[key] = value
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            data["stack"] = self.formatStack(record.stack_info)
        # json.dumps escapes newlines, so a message with a line break stays one line.
        return json.dumps(data, default=str, ensure_ascii=False)
