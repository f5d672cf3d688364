@echo off
rem The larder CLI shipped inside the desktop app: the app binary runs as Node (see bin/larder).
setlocal
set ELECTRON_RUN_AS_NODE=1
"%~dp0..\..\Larder.exe" "%~dp0..\app.asar\bin\larder.js" %*
