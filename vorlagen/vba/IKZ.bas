Attribute VB_Name = "IKZ"
' Knoepfe der Steuerungsmappe (ikz_excel, Blatt "Steuerung").
'
' Jeder Knopf speichert zuerst die Mappe und startet dann ueber xlwings (RunPython) dieselbe
' Python-Funktion wie der entsprechende ikz-Befehl. Die Python-Seite (ikz_excel.knoepfe)
' schreibt den Status ins Blatt "Steuerung" und meldet ihre Fehler selbst; hier wird nur
' abgefangen, was scheitert, bevor Python laeuft (Mappe schreibgeschuetzt, xlwings oder Python
' nicht eingerichtet).
'
' Beim Anlegen der Steuerungsmappe ("ikz init") wird dieses Modul zusammen mit dem Modul
' "xlwings" des installierten xlwings-Pakets in die Mappe eingebaut. Von Hand geht es auch:
' im VBA-Editor Datei > Datei importieren (dieses Modul und xlwings.bas aus dem xlwings-Paket).
'
' Die Datei bleibt reines ASCII mit CRLF-Zeilenenden, damit der VBA-Editor sie unter jeder
' Codepage richtig importiert. Umlaute in Meldungen stehen deshalb als {ae} {oe} {ue} {Ae} {Oe}
' {Ue} {ss} und werden von der Funktion Umlaute ersetzt.
Option Explicit

Private Const TITEL As String = "IKZ-Steuerungsmappe"

Public Sub ArbeitsmappenErzeugen()
    On Error GoTo Fehler
    ThisWorkbook.Save
    RunPython "import ikz_excel.knoepfe as k; k.erzeugen()"
    Exit Sub
Fehler:
    Fehlermeldung "Arbeitsmappen erzeugen", Err.Number, Err.Description
End Sub

Public Sub RuecklaeufePruefen()
    On Error GoTo Fehler
    ThisWorkbook.Save
    RunPython "import ikz_excel.knoepfe as k; k.pruefen()"
    Exit Sub
Fehler:
    Fehlermeldung "R{ue}ckl{ae}ufe pr{ue}fen", Err.Number, Err.Description
End Sub

Public Sub Konsolidieren()
    On Error GoTo Fehler
    ThisWorkbook.Save
    RunPython "import ikz_excel.knoepfe as k; k.konsolidieren()"
    Exit Sub
Fehler:
    Fehlermeldung "Konsolidieren", Err.Number, Err.Description
End Sub

Public Sub UebersichtOeffnen()
    On Error GoTo Fehler
    ThisWorkbook.Save
    RunPython "import ikz_excel.knoepfe as k; k.uebersicht_oeffnen()"
    Exit Sub
Fehler:
    Fehlermeldung "{Ue}bersicht {oe}ffnen", Err.Number, Err.Description
End Sub

' Braucht weder xlwings noch Python: zeigt, dass die Makros der Mappe uebersetzt werden und
' laufen (im VBA-Editor: Direktfenster, "? Selbsttest"). Die Tests rufen sie in LibreOffice auf.
Public Function Selbsttest() As String
    Selbsttest = Umlaute("IKZ-Selbsttest ok: R{ue}ckl{ae}ufe pr{ue}fen, {Ue}bersicht {oe}ffnen")
End Function

Private Sub Fehlermeldung(ByVal Aktion As String, ByVal Nummer As Long, _
                          ByVal Beschreibung As String)
    Dim Text As String
    Text = Chr(34) & Aktion & Chr(34) & " konnte nicht gestartet werden." & vbCrLf & vbCrLf _
        & "Fehler " & Nummer & ": " & Beschreibung & vbCrLf & vbCrLf _
        & "Bitte pr{ue}fen:" & vbCrLf _
        & "- Ist die Steuerungsmappe schreibgesch{ue}tzt oder woanders ge{oe}ffnet?" & vbCrLf _
        & "- Sind Python, ikz_excel und xlwings eingerichtet (README, Abschnitt Windows)?"
    MsgBox Umlaute(Text), vbCritical, TITEL
End Sub

Private Function Umlaute(ByVal Text As String) As String
    Text = Replace(Text, "{ae}", ChrW(228), 1, -1, vbBinaryCompare)
    Text = Replace(Text, "{oe}", ChrW(246), 1, -1, vbBinaryCompare)
    Text = Replace(Text, "{ue}", ChrW(252), 1, -1, vbBinaryCompare)
    Text = Replace(Text, "{Ae}", ChrW(196), 1, -1, vbBinaryCompare)
    Text = Replace(Text, "{Oe}", ChrW(214), 1, -1, vbBinaryCompare)
    Text = Replace(Text, "{Ue}", ChrW(220), 1, -1, vbBinaryCompare)
    Text = Replace(Text, "{ss}", ChrW(223), 1, -1, vbBinaryCompare)
    Umlaute = Text
End Function
