"""`= ANY(array)`: a list of ids sent as one array parameter, not one
parameter per id as `__in` does (a graph level asks for hundreds of keys;
adapting each costs more than the query)."""

from django.db.models import BigIntegerField, Lookup


@BigIntegerField.register_lookup
class AnyOf(Lookup):
    lookup_name = "any"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        return "%s", [[int(v) for v in value]]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs}::bigint[])", [*lhs_params, *rhs_params]
