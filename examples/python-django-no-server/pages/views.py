from django.http import JsonResponse
from django.shortcuts import render


def home(request):
    return render(request, "pages/home.html", {"title": "docksmith django example"})


def healthz(request):
    return JsonResponse({"status": "ok"})
