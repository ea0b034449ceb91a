"""The rule registry: one module per rule, one class per code."""

from __future__ import annotations

from .base import Rule
from .nmr000_unparsable import UnparsableModule
from .nmr001_module_suffix import AqlModuleName
from .nmr002_class_suffix import OperationsClassName
from .nmr003_id_rename_python import IdKeyRenamedInPython
from .nmr004_id_rename_aql import IdKeyRenamedInAql
from .nmr005_upward_import import UpwardImport
from .nmr006_database_import import DatabaseImportedOutside
from .nmr007_dynamic_aql import DynamicAqlText
from .nmr008_aql_syntax import AqlSyntaxError
from .nmr009_bind_vars import BindVarsMismatch
from .nmr010_unknown_collection import UnknownCollection
from .nmr011_time_comparison import CurrentTimeComparison
from .nmr012_liveness_predicate import LivenessPredicate
from .nmr013_suppression_reason import SuppressionWithoutReason
from .nmr014_transaction_control import TransactionControlInOperations
from .nmr015_one_operations_class import SecondOperationsClass

__all__ = ["ALL_RULES", "UNSUPPRESSIBLE", "Rule", "rules_by_code"]

ALL_RULES: tuple[Rule, ...] = (
    UnparsableModule(),
    AqlModuleName(),
    OperationsClassName(),
    IdKeyRenamedInPython(),
    IdKeyRenamedInAql(),
    UpwardImport(),
    DatabaseImportedOutside(),
    DynamicAqlText(),
    AqlSyntaxError(),
    BindVarsMismatch(),
    UnknownCollection(),
    CurrentTimeComparison(),
    LivenessPredicate(),
    SuppressionWithoutReason(),
    TransactionControlInOperations(),
    SecondOperationsClass(),
)

UNSUPPRESSIBLE = frozenset({"NMR000", "NMR013"})


def rules_by_code() -> dict[str, Rule]:
    """Return the registered rules keyed by code."""
    return {rule.code: rule for rule in ALL_RULES}
