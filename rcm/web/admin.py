"""The operator's admin never lists API tokens: `rcm.web.models.ApiToken` is not registered."""
