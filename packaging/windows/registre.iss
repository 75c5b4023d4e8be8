; Inno Setup script: per-user installer of Registre for Windows (no administrator rights).
; Build the bundle first (see packaging/windows/README.md), then: iscc packaging\windows\registre.iss

#define AppName "Registre"

; The version is the one declared in registre\__init__.py (__version__ = "x.y.z").
#define VersionFile AddBackslash(SourcePath) + "..\..\registre\__init__.py"
#define VersionHandle FileOpen(VersionFile)
#if !VersionHandle
  #error Cannot open registre\__init__.py
#endif
#define AppVersion ""
#define VersionLine ""
#sub ReadVersionLine
  #define VersionLine FileRead(VersionHandle)
  #if Pos('__version__ = "', VersionLine) == 1
    #define AppVersion Copy(VersionLine, 16, Len(VersionLine) - 16)
  #endif
#endsub
#for {0; !FileEof(VersionHandle); 0} ReadVersionLine
#expr FileClose(VersionHandle)
#if AppVersion == ""
  #error No __version__ line in registre\__init__.py
#endif

[Setup]
AppId={{6C3F2D0E-8F1B-4C55-9B8E-6A2C1E7D4F10}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=Registre
DefaultDirName={localappdata}\Programs\Registre
DefaultGroupName=Registre
DisableProgramGroupPage=yes
; Installs for the current user only: no administrator rights are asked.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
OutputDir=..\..\dist
OutputBaseFilename=Registre-{#AppVersion}-setup
SetupIconFile=..\..\resources\icons\registre.ico
; The EUPL is shown before installing; LICENSE and THIRD-PARTY-NOTICES.txt are in the bundle.
LicenseFile=..\..\LICENSE
UninstallDisplayIcon={app}\registre-app.exe
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
ChangesAssociations=yes

[Languages]
Name: "french"; MessagesFile: "compiler:Languages\French.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[Files]
Source: "..\..\dist\Registre\*"; DestDir: "{app}"; Flags: recursesubdirs createallsubdirs ignoreversion

[Icons]
Name: "{userprograms}\Registre"; Filename: "{app}\registre-app.exe"
Name: "{userprograms}\Désinstaller Registre"; Filename: "{uninstallexe}"

[Registry]
; Register folders (named *.registre) open in Registre from the Explorer context menu; the entry
; shows on those folders only (an Advanced Query Syntax filter with a wildcard).
Root: HKCU; Subkey: "Software\Classes\Directory\shell\Registre"; ValueType: string; ValueName: ""; ValueData: "Ouvrir avec Registre"; Flags: uninsdeletekey
Root: HKCU; Subkey: "Software\Classes\Directory\shell\Registre"; ValueType: string; ValueName: "AppliesTo"; ValueData: "System.ItemName:""*.registre"""
Root: HKCU; Subkey: "Software\Classes\Directory\shell\Registre"; ValueType: string; ValueName: "Icon"; ValueData: "{app}\registre-app.exe"
Root: HKCU; Subkey: "Software\Classes\Directory\shell\Registre\command"; ValueType: string; ValueName: ""; ValueData: """{app}\registre-app.exe"" ""%1"""
; Backups (.registre-backup files) open in Registre's restore dialog.
Root: HKCU; Subkey: "Software\Classes\.registre-backup"; ValueType: string; ValueName: ""; ValueData: "Registre.Backup"; Flags: uninsdeletevalue
Root: HKCU; Subkey: "Software\Classes\Registre.Backup"; ValueType: string; ValueName: ""; ValueData: "Sauvegarde de registre"; Flags: uninsdeletekey
Root: HKCU; Subkey: "Software\Classes\Registre.Backup\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\registre-app.exe,0"
Root: HKCU; Subkey: "Software\Classes\Registre.Backup\shell\open"; ValueType: string; ValueName: ""; ValueData: "Restaurer avec Registre"
Root: HKCU; Subkey: "Software\Classes\Registre.Backup\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\registre-app.exe"" ""%1"""

[Run]
Filename: "{app}\registre-app.exe"; Description: "Lancer Registre"; Flags: nowait postinstall skipifsilent

; The uninstaller removes only the program folder. The registers live in the user's data folder
; (%LOCALAPPDATA%\Registre) and in folders the user chose: they are never deleted.
