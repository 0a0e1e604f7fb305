"""Moving records in and out of the store as CSV or Excel files, with no Qt widgets.

Exports write one row per live record under a header of column names (`columns.py`); imports
read the same names back and make every change through one writer transaction, all or nothing.
"""

from crm_desktop.transfer.columns import TRANSFER_ENTITIES, TransferColumn, transfer_columns
from crm_desktop.transfer.errors import ImportFailed, TransferError
from crm_desktop.transfer.exporting import export_csv, export_csv_file, export_xlsx
from crm_desktop.transfer.importing import ImportSummary, import_file

__all__ = [
    "TRANSFER_ENTITIES",
    "ImportFailed",
    "ImportSummary",
    "TransferColumn",
    "TransferError",
    "export_csv",
    "export_csv_file",
    "export_xlsx",
    "import_file",
    "transfer_columns",
]
