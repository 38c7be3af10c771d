"""Reading an uploaded CSV (the MIS pupil import, attendance from a provider) without ever failing
with a 500: whatever the bytes, the person gets a sentence saying what is wrong with the file."""

from __future__ import annotations

import csv
import io


class UnreadableCSV(ValueError):
    """The file cannot be read as CSV; str(error) says why, in words for the person uploading."""


def csv_rows(content: bytes, *, windows_fallback: bool = True) -> list[list[str]]:
    """The file's rows. UTF-8 (with or without Excel's BOM) or, if allowed, Windows-1252; any line
    ending, the old Mac CR-only one included."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            if not windows_fallback:
                raise
            text = content.decode("cp1252")  # Excel's "CSV" on Windows
        except UnicodeDecodeError:
            raise UnreadableCSV(
                "The file is not a text CSV file. Save it from the spreadsheet as “CSV UTF-8” and upload it again."
            ) from None
    # newline=None turns CR and CRLF into LF, so a file saved with CR-only line endings reads as rows.
    reader = csv.reader(io.StringIO(text, newline=None))
    try:
        return list(reader)
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            limit = f"{csv.field_size_limit():,}"
            raise UnreadableCSV(
                f"Line {reader.line_num} has a cell longer than {limit} characters: is it the right file?"
            ) from None
        raise UnreadableCSV(f"Line {reader.line_num} cannot be read as CSV ({error}).") from None
