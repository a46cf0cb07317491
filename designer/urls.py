# Placeholder: the designer engineer adds the /designer/ pages here.
urlpatterns = []
