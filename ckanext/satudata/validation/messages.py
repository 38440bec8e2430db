"""Human messages for validation findings, in Indonesian and English.

Messages never quote cell values: a finding may sit in a column of personal
data, and the summary is shown to everyone who can see the dataset.
Pure Python: no CKAN import.
"""

from __future__ import annotations

from typing import Any

from ckanext.satudata.validation.checks import REGION_CODE_NOTES
from ckanext.satudata.validation.reader import FileRejected

TYPE_NAMES = {
    "integer": ("bilangan bulat", "an integer"),
    "number": ("angka", "a number"),
    "date": ("tanggal", "a date"),
    "datetime": ("tanggal dan waktu", "a date and time"),
    "year": ("tahun", "a year"),
    "boolean": ("nilai benar/salah", "a true/false value"),
    "string": ("teks", "text"),
}

REJECTION_MESSAGES: dict[str, tuple[str, str]] = {
    "empty": ("Berkas kosong.", "The file is empty."),
    "too-large": (
        "Berkas terlalu besar ({size} bita; batas {limit} bita).",
        "The file is too large ({size} bytes; the limit is {limit} bytes).",
    ),
    "too-many-rows": (
        "Lembar kerja terlalu banyak baris ({rows}; batas {limit}).",
        "The worksheet has too many rows ({rows}; the limit is {limit}).",
    ),
    "not-a-table": (
        "Isi berkas bukan tabel (isi terdeteksi: {content}; dikenali dari isi berkas, bukan "
        "dari nama atau formatnya). Unggah CSV, XLSX, XLS atau ODS.",
        "The file's content is not a table (detected content: {content}; told by the "
        "content, not by the file's name or format). Upload CSV, XLSX, XLS or ODS.",
    ),
    "no-data-rows": (
        "Bukan tabel (aturan no-data-rows): berkas hanya berisi baris judul kolom, tanpa baris "
        "data.",
        "Not a table (rule no-data-rows): the file holds a header row and no data rows.",
    ),
    "one-long-line": (
        "Bukan tabel (aturan one-long-line): satu kolom saja, dengan judul berupa kalimat; "
        "mungkin teks biasa atau pemisah kolom yang tidak dikenali. Simpan sebagai CSV dengan "
        "koma atau titik koma.",
        "Not a table (rule one-long-line): a single column whose header is a sentence; plain "
        "text, or a column separator that was not recognised. Save it as CSV with commas or "
        "semicolons.",
    ),
    "unreadable": (
        "Isi berkas ({content}) tidak dapat diperiksa dan jenis ini tidak diizinkan tanpa "
        "pemeriksaan; unggah CSV, XLSX, ODS, PDF atau teks.",
        "The file's content ({content}) cannot be checked and this kind is not allowed "
        "unchecked; upload CSV, XLSX, ODS, PDF or text.",
    ),
    "too-many-columns": (
        "Tabel terlalu banyak kolom ({columns}; batas {limit}).",
        "The table has too many columns ({columns}; the limit is {limit}).",
    ),
    "too-many-pages": (
        "PDF terlalu banyak halaman ({pages}; batas {limit}).",
        "The PDF has too many pages ({pages}; the limit is {limit}).",
    ),
    "unreadable-pdf": (
        "Teks PDF tidak dapat dibaca (rusak atau terenkripsi).",
        "The PDF's text cannot be read (corrupt or encrypted).",
    ),
    "corrupt": (
        "Berkas rusak: bukan buku kerja, dokumen atau arsip yang dapat dibaca.",
        "The file is corrupt: not a readable workbook, document or archive.",
    ),
    "zip-bomb": (
        "Berkas ditolak: ukuran atau rasio kompresi arsip melampaui batas aman (zip bomb).",
        "File refused: the archive's uncompressed size or compression ratio exceeds the safe limits (zip bomb).",
    ),
    "xml-entities": (
        "Berkas ditolak: XML berisi DTD/entitas (risiko ekspansi entitas).",
        "File refused: the XML contains a DTD/entities (entity-expansion risk).",
    ),
    "encoding": (
        "Pengodean karakter berkas tidak dapat dibaca.",
        "The file's character encoding cannot be read.",
    ),
    "fetch": (
        "Berkas dari URL tidak dapat diambil: {reason}",
        "The file at the URL could not be fetched: {reason}",
    ),
    "not-run": (
        "Validasi tidak dapat dijalankan ({attempts} kali dicoba; layanan yang dibutuhkan "
        "tidak tersedia atau galat); jalankan validasi lagi.",
        "Validation could not run ({attempts} tries; a service it needs was unavailable, "
        "or an error); run the validation again.",
    ),
    "internal": (
        "Validasi gagal karena galat internal.",
        "Validation failed with an internal error.",
    ),
}


NOTE_MESSAGES: dict[str, tuple[str, str]] = {
    "standard-detected": (
        "Kolom berkas dikenali sebagai standar data {standard}; berkas divalidasi terhadap "
        "standar itu. Tetapkan standar_data sumber daya ini agar tercatat.",
        "The file's columns were recognised as data standard {standard}; the file was "
        "validated against it. Set this resource's standar_data to record it.",
    ),
    "standard-suggested": (
        "Kolom berkas mirip standar data {standard} (nama atau urutan kolom berbeda); "
        "sesuaikan berkas dengan templat standar itu.",
        "The file's columns resemble data standard {standard} (column names or order "
        "differ); align the file with that standard's template.",
    ),
}


def note_message(code: str, params: dict[str, Any]) -> tuple[str, str]:
    id_text, en_text = NOTE_MESSAGES[code]
    return id_text.format(**params), en_text.format(**params)


def mostly_numeric_message(column: str, count: int, rows: list[int]) -> tuple[str, str]:
    where = ", ".join(map(str, rows))
    return (
        f'Kolom "{column}" berisi angka, kecuali {count} sel teks (mis. baris {where}); '
        'perbaiki sel itu atau kosongkan ("-" dianggap kosong).',
        f'Column "{column}" holds numbers but for {count} text cell(s) (e.g. rows {where}); '
        'correct them or leave them blank ("-" counts as blank).',
    )


def rejection_message(code: str, params: dict[str, Any]) -> tuple[str, str]:
    id_text, en_text = REJECTION_MESSAGES.get(code, REJECTION_MESSAGES["internal"])
    safe = {key: value for key, value in params.items()}
    try:
        return id_text.format(**safe), en_text.format(**safe)
    except (KeyError, IndexError):
        return id_text, en_text


def rejection_text(err: FileRejected) -> str:
    """A FileRejected in English with its detail, for harvest reports and logs
    (which speak English, like the rest of ckanext-harvest's report)."""
    text = rejection_message(err.code, err.params)[1]
    return f"{text} ({err.detail})" if err.detail else text


def _where(row: int | None, column: str | None) -> tuple[str, str]:
    parts_id, parts_en = [], []
    if row:
        parts_id.append(f"Baris {row}")
        parts_en.append(f"Row {row}")
    if column:
        parts_id.append(f'kolom "{column}"')
        parts_en.append(f'column "{column}"')
    if not parts_id:
        return "", ""
    return ", ".join(parts_id) + ": ", ", ".join(parts_en) + ": "


def finding_message(
    error_type: str, row: int | None, column: str | None, note: str, field_type: str | None
) -> tuple[str, str]:
    where_id, where_en = _where(row, column)
    type_id, type_en = TYPE_NAMES.get(field_type or "", (field_type or "?", field_type or "?"))
    texts: dict[str, tuple[str, str]] = {
        "missing-label": ("kolom wajib tidak ada.", "required column is missing."),
        "extra-label": (
            "kolom tidak dikenal oleh standar data.",
            "column is not in the data standard.",
        ),
        "incorrect-label": (
            "judul kolom tidak sesuai dengan standar data.",
            "column header does not match the data standard.",
        ),
        "blank-label": ("judul kolom kosong.", "column header is blank."),
        "duplicate-label": ("judul kolom ganda.", "duplicate column header."),
        "type-error": (f"nilai bukan {type_id}.", f"value is not {type_en}."),
        "missing-cell": (
            "sel tidak ada (baris terlalu pendek).",
            "cell is missing (row too short).",
        ),
        "extra-cell": ("sel berlebih (baris terlalu panjang).", "extra cell (row too long)."),
        "blank-row": ("baris kosong.", "blank row."),
        "primary-key": (
            "kombinasi kunci utama ganda (baris duplikat).",
            "duplicate primary key (duplicate row).",
        ),
        "unique-error": (
            "nilai harus unik tetapi ganda.",
            "value must be unique but is duplicated.",
        ),
        "region-code": (_region_note_id(note), f"region code not acceptable: {note}."),
        "personal-data": (
            "berisi data pribadi (NIK/KK); berkas tidak boleh dipublikasikan.",
            "holds personal data (NIK/KK); the file must not be published.",
        ),
        "encoding-error": (
            "pengodean karakter tidak dapat dibaca.",
            "character encoding cannot be read.",
        ),
    }
    if error_type == "constraint-error":
        constraint = note.split('"')[1] if note.count('"') >= 2 else note
        constraint_texts = {
            "required": ("sel wajib diisi tetapi kosong.", "required cell is blank."),
            "minimum": ("nilai di bawah batas minimum.", "value is below the minimum."),
            "maximum": ("nilai di atas batas maksimum.", "value is above the maximum."),
            "enum": (
                "nilai bukan salah satu pilihan yang diizinkan.",
                "value is not one of the allowed values.",
            ),
            "pattern": ("nilai tidak sesuai pola.", "value does not match the pattern."),
            "unique": ("nilai harus unik.", "value must be unique."),
        }
        id_text, en_text = constraint_texts.get(
            constraint, (f"melanggar batasan {constraint}.", f"violates constraint {constraint}.")
        )
    else:
        id_text, en_text = texts.get(error_type, (f"galat {error_type}.", f"{error_type} error."))
    return where_id + id_text, where_en + en_text


def _region_note_id(note: str) -> str:
    translations = {
        REGION_CODE_NOTES[
            "format"
        ]: "bukan kode Kemendagri (PP, PP.KK, PP.KK.CC atau PP.KK.CC.DDDD)",
        REGION_CODE_NOTES["undotted"]: "tulis dalam bentuk bertitik, mis. 64.01.04",
        REGION_CODE_NOTES["unknown"]: "tidak ada dalam daftar referensi wilayah",
    }
    return f"kode wilayah tidak dapat diterima: {translations.get(note, note)}."


def _personal_where(finding: dict[str, Any]) -> tuple[str, str]:
    """Where a personal-data finding is: a sheet, a document part, a metadata field."""
    where_id, where_en = [], []
    if finding.get("field"):
        where_id.append(f'isian "{finding["field"]}"')
        where_en.append(f'field "{finding["field"]}"')
    if finding.get("sheet"):
        where_id.append(f'lembar "{finding["sheet"]}"')
        where_en.append(f'sheet "{finding["sheet"]}"')
    if finding.get("part"):
        part = str(finding["part"])
        where_id.append(part)
        where_en.append(part.replace("halaman ", "page "))
    return ", ".join(where_id), ", ".join(where_en)


def personal_data_message(finding: dict[str, Any]) -> tuple[str, str]:
    """The message of a finding of the guard: a column (``column``, ``rows``),
    or text (``lines``), in a sheet, document part or metadata field."""
    where_id, where_en = _personal_where(finding)
    if finding.get("column") is None:
        lines = ", ".join(map(str, finding.get("lines") or []))
        id_text = "Teks berisi nomor NIK/KK"
        en_text = "The text holds NIK/KK numbers"
        if where_id:
            id_text += f" ({where_id})"
            en_text += f" ({where_en})"
        if lines:
            id_text += f", baris {lines}"
            en_text += f", line {lines}"
        return (
            id_text + ". Data pribadi tidak boleh dipublikasikan; tidak ada yang disimpan.",
            en_text + ". Personal data must not be published; nothing was stored.",
        )
    rows = ", ".join(map(str, finding.get("rows") or []))
    column = finding["column"]
    if finding["reason"] == "header":
        id_text = f'Kolom "{column}" bernama pengenal pribadi (NIK/KK/KTP)'
        en_text = f'Column "{column}" is named after a personal identifier (NIK/KK/KTP)'
    else:
        id_text = f'Kolom "{column}" berisi nomor NIK/KK'
        en_text = f'Column "{column}" holds NIK/KK numbers'
    if where_id:
        id_text += f" ({where_id})"
        en_text += f" ({where_en})"
    if rows:
        id_text += f", mis. baris {rows}"
        en_text += f", e.g. rows {rows}"
    return (
        id_text + ". Data pribadi tidak boleh dipublikasikan; berkas tidak disimpan.",
        en_text + ". Personal data must not be published; the file was not stored.",
    )
