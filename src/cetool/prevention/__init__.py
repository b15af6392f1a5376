"""Prevention actions (`prevention/<id>.yaml`): the Improve step of the weekly loop. Model, rules,
loading, the `prevention new` template and the `prevention list` view."""
