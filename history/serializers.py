from rest_framework import serializers


class FieldChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    old = serializers.CharField()
    new = serializers.CharField()


class ChangeSerializer(serializers.Serializer):
    """One recorded change (history.selectors.Change)."""

    when = serializers.DateTimeField()
    who = serializers.CharField()
    subject = serializers.CharField()
    action = serializers.ChoiceField(choices=["created", "changed", "deleted"])
    changes = FieldChangeSerializer(many=True)
    withheld = serializers.ListField(
        child=serializers.CharField(),
        help_text="Fields that changed but whose values this user may not see.",
    )
