@echo off
rem Offline lab install, step 2 (Windows lab PC, NO internet needed): .venv from the wheelhouse.
rem   resources\packaging\install_offline.bat [WHEELHOUSE] [VENV]
setlocal
set "ROOT=%~dp0..\.."
set "WHEELHOUSE=%~1"
if "%WHEELHOUSE%"=="" set "WHEELHOUSE=%ROOT%\wheelhouse"
set "VENV=%~2"
if "%VENV%"=="" set "VENV=%ROOT%\.venv"
if "%PYTHON%"=="" set "PYTHON=py -3"
if "%EXTRAS%"=="" set "EXTRAS=test"
if not exist "%WHEELHOUSE%" (
  echo no wheelhouse at %WHEELHOUSE%: make one with make_wheelhouse.bat on a connected machine
  exit /b 1
)
%PYTHON% -m venv "%VENV%" || exit /b 1
"%VENV%\Scripts\python.exe" -m pip install --no-index --find-links "%WHEELHOUSE%" "optimizer-lab[%EXTRAS%]" || exit /b 1
"%VENV%\Scripts\optimizer-lab-cli.exe" --version
echo installed. Start the app by double-clicking %VENV%\Scripts\optimizer-lab.exe
echo (right-click it, Send to, Desktop (create shortcut) for a desktop icon)
endlocal
