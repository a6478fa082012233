"""The local file-system broker (`make run`): a worker never finds a half-written message."""

import sys
from pathlib import Path

from config.celery import app


def test_a_message_file_appears_in_the_queue_only_when_it_is_complete(settings, tmp_path):
    folder = tmp_path / "broker"
    folder.mkdir()
    options = {**settings.CELERY_BROKER_TRANSPORT_OPTIONS}
    options.update(data_folder_in=str(folder), data_folder_out=str(folder))
    seen_while_writing: list[list[str]] = []
    with app.connection_for_write(transport_options=options) as connection:
        channel = connection.default_channel
        module = sys.modules[type(channel).__module__]
        serialise = module.dumps

        def dumps_and_look(payload):
            seen_while_writing.append([p.name for p in Path(folder).glob("*.celery.msg")])
            return serialise(payload)

        module.dumps = dumps_and_look
        try:
            channel._put("celery", {"body": "x" * 1000})
        finally:
            module.dumps = serialise
        message = channel._get("celery")

    assert seen_while_writing == [[]]
    assert message == {"body": "x" * 1000}
    assert list(folder.iterdir()) == []
