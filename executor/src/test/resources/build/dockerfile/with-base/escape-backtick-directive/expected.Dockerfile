# escape=`
FROM mcr.microsoft.com/windows/nanoserver:ltsc2022 `
    AS base
WORKDIR C:\app\
RUN dir
