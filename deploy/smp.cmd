@echo off
rem smp.cmd: the smp command-line client (enroll, capture, restore, status) for Windows and Windows PE.
rem
rem   smp.cmd enroll --server https://smp.example.com:8443 --code CODE --fingerprint AB:CD:...
rem   smp.cmd capture C:\USMT\Store\USMT\USMT.MIG
rem
rem Runs "java -jar smp.jar client ...". The jar: %SMP_JAR%, else smp.jar next to this script. Java:
rem %JAVA_HOME%\bin\java.exe, else a java folder next to this script (a runtime copied into the package, as
rem Windows PE has none), else java.exe on the PATH. Extra JVM options: %SMP_JAVA_OPTS%. The exit code is the
rem client's (0 done, 2 usage, 3 no association, 4 refused, 5 network, 6 integrity).
setlocal
set "SMP_HOME=%~dp0"
if not defined SMP_JAR set "SMP_JAR=%SMP_HOME%smp.jar"
if not exist "%SMP_JAR%" (
  echo smp: cannot find %SMP_JAR%; set SMP_JAR to its path 1>&2
  exit /b 2
)
set "SMP_JAVA=java.exe"
if exist "%SMP_HOME%java\bin\java.exe" set "SMP_JAVA=%SMP_HOME%java\bin\java.exe"
if defined JAVA_HOME set "SMP_JAVA=%JAVA_HOME%\bin\java.exe"
rem "smp.cmd client capture ..." and "smp.cmd capture ..." are the same: the client ignores a repeated "client"
"%SMP_JAVA%" -XX:TieredStopAtLevel=1 -XX:+ExitOnOutOfMemoryError -XX:+UseSerialGC -Xmx256m %SMP_JAVA_OPTS% -jar "%SMP_JAR%" client %*
exit /b %ERRORLEVEL%
