@echo off
rem Offline lab install, step 1 (Windows, on a machine WITH internet): every wheel into wheelhouse\.
rem   resources\packaging\make_wheelhouse.bat [WHEELHOUSE]
rem Run it on the same Windows and Python version (3.11+, 64-bit) as the lab PCs.
rem pip comes from PYTHON if set, else the checkout's .venv, else "py -3"; a Python without pip
rem gets a temporary virtual environment (ensurepip) that has one.
setlocal
set "ROOT=%~dp0..\.."
set "OUT=%~1"
if "%OUT%"=="" set "OUT=%ROOT%\wheelhouse"
if not defined PYTHON if exist "%ROOT%\.venv\Scripts\python.exe" set PYTHON="%ROOT%\.venv\Scripts\python.exe"
if not defined PYTHON set "PYTHON=py -3"
%PYTHON% -m pip --version >nul 2>&1 && goto :have_pip
echo %PYTHON% has no pip: using a temporary virtual environment for it
set "SCRATCH=%TEMP%\optimizer-lab-wheelhouse-venv"
if exist "%SCRATCH%" rmdir /s /q "%SCRATCH%"
%PYTHON% -m venv "%SCRATCH%" || exit /b 1
set PYTHON="%SCRATCH%\Scripts\python.exe"
:have_pip
if "%EXTRAS%"=="" set "EXTRAS=test"
if not exist "%OUT%" mkdir "%OUT%"
del /q "%OUT%\optimizer_lab-*.whl" 2>nul
%PYTHON% -m pip wheel --no-deps --wheel-dir "%OUT%" "%ROOT%" || exit /b 1
for %%W in ("%OUT%\optimizer_lab-*.whl") do set "WHEEL=%%~fW"
%PYTHON% -m pip download --dest "%OUT%" --prefer-binary "%WHEEL%[%EXTRAS%]" || exit /b 1
%PYTHON% -m pip download --dest "%OUT%" --only-binary=:all: pip setuptools || exit /b 1
echo wheelhouse ready: %OUT%
endlocal
