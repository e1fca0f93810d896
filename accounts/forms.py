from django import forms


class OTPTokenForm(forms.Form):
    token = forms.CharField(
        label="Code from your authenticator app",
        min_length=6,
        max_length=8,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9]*",
                "autofocus": True,
            }
        ),
        error_messages={
            "required": "Enter the 6-digit code your authenticator app shows.",
            "min_length": "The code has 6 digits.",
            "max_length": "The code has 6 digits.",
        },
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].replace(" ", "")
        if not token.isdigit():
            raise forms.ValidationError("The code is made of digits only.")
        return token
