; Inno Setup script: per-user installer of Registre for Windows (no administrator rights).
; Build the bundle first (see packaging/README.md), then: iscc packaging\windows\registre.iss

#define AppName "Registre"
#define AppVersion GetEnv("REGISTRE_VERSION")
#if AppVersion == ""
  #define AppVersion "0.1.0"
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
; Register bundles (folders named *.registre) open in Registre from the Explorer context menu.
Root: HKCU; Subkey: "Software\Classes\Directory\shell\Registre"; ValueType: string; ValueName: ""; ValueData: "Ouvrir avec Registre"; Flags: uninsdeletekey
Root: HKCU; Subkey: "Software\Classes\Directory\shell\Registre"; ValueType: string; ValueName: "AppliesTo"; ValueData: "System.ItemNameDisplay:~"".registre"""
Root: HKCU; Subkey: "Software\Classes\Directory\shell\Registre"; ValueType: string; ValueName: "Icon"; ValueData: "{app}\registre-app.exe"
Root: HKCU; Subkey: "Software\Classes\Directory\shell\Registre\command"; ValueType: string; ValueName: ""; ValueData: """{app}\registre-app.exe"" ""%1"""
; Backups (.registre-backup files) are associated too, for "restore".
Root: HKCU; Subkey: "Software\Classes\.registre-backup"; ValueType: string; ValueName: ""; ValueData: "Registre.Backup"; Flags: uninsdeletevalue
Root: HKCU; Subkey: "Software\Classes\Registre.Backup"; ValueType: string; ValueName: ""; ValueData: "Sauvegarde de registre"; Flags: uninsdeletekey
Root: HKCU; Subkey: "Software\Classes\Registre.Backup\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\registre-app.exe,0"

[Run]
Filename: "{app}\registre-app.exe"; Description: "Lancer Registre"; Flags: nowait postinstall skipifsilent

; The uninstaller removes only the program folder. The registers live in the user's data folder
; (%LOCALAPPDATA%\Registre) and in folders the user chose: they are never deleted.
