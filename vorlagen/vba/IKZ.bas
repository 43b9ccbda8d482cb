Attribute VB_Name = "IKZ"
' Knoepfe der Steuerungsmappe (ikz_excel, Blatt "Steuerung").
'
' Jeder Knopf ruft Starten auf: Es speichert die Mappe, prueft den Python-Interpreter, den
' xlwings starten wird, und startet dann ueber xlwings (RunPython) dieselbe Python-Funktion wie
' der entsprechende ikz-Befehl. Was wo abgefangen wird:
'
' - Laufzeitfehler in VBA, vor allem beim Speichern (Mappe schreibgeschuetzt oder woanders
'   geoeffnet) und wenn Windows Excel den Start von cmd.exe verweigert (xlwings ruft dafuer
'   WScript.Run auf): On Error in Starten, Meldung von Fehlermeldung.
' - Ein Interpreter-Pfad (xlwings.conf), unter dem es keine Datei gibt: prueft Starten vorher
'   selbst, so wie xlwings es tun wuerde. xlwings zeigte sonst nur "Could not find Interpreter!"
'   und kehrte ohne Fehler zurueck.
' - Python startet nicht oder bricht ab (python nicht auf dem PATH, ikz_excel oder xlwings in
'   diesem Python nicht installiert, der Start von Python verboten): RunPython loest dabei
'   keinen VBA-Fehler aus. xlwings zeigt die Fehlerausgabe von Python in einem eigenen
'   Fenster und gibt -1 zurueck; danach nennt Pythonfehler die haeufigen Ursachen.
' - Fehler bei der Arbeit selbst (Stammdaten, Ruecklaeufe, gesperrte Dateien): faengt die
'   Python-Seite (ikz_excel.knoepfe) ab; sie schreibt den Status ins Blatt "Steuerung" und
'   zeigt ihre Meldung selbst, Python endet dann ohne Fehler.
'
' Fehlt das Modul "xlwings", laesst sich dieses Modul nicht uebersetzen (RunPython und GetConfig
' sind unbekannt): VBA meldet das beim ersten Knopfdruck als Fehler beim Kompilieren.
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

' RunPython gibt -1 zurueck, wenn Python mit einem Fehler endet (xlwings, ExecuteWindows).
Private Const PYTHON_FEHLER As Long = -1

Public Sub ArbeitsmappenErzeugen()
    Starten "Arbeitsmappen erzeugen", "import ikz_excel.knoepfe as k; k.erzeugen()"
End Sub

Public Sub RuecklaeufePruefen()
    Starten "R{ue}ckl{ae}ufe pr{ue}fen", "import ikz_excel.knoepfe as k; k.pruefen()"
End Sub

Public Sub Konsolidieren()
    Starten "Konsolidieren", "import ikz_excel.knoepfe as k; k.konsolidieren()"
End Sub

Public Sub UebersichtOeffnen()
    Starten "{Ue}bersicht {oe}ffnen", "import ikz_excel.knoepfe as k; k.uebersicht_oeffnen()"
End Sub

' Braucht weder xlwings noch Python: zeigt, dass die Makros der Mappe uebersetzt werden und
' laufen (im VBA-Editor: Direktfenster, "? Selbsttest"). Die Tests rufen sie in LibreOffice auf.
Public Function Selbsttest() As String
    Selbsttest = Umlaute("IKZ-Selbsttest ok: R{ue}ckl{ae}ufe pr{ue}fen, {Ue}bersicht {oe}ffnen")
End Function

' Leer, wenn xlwings den Interpreter starten kann, sonst die Meldung, die Starten zeigt. Prueft
' wie xlwings (ExecuteWindows): "python" und "pythonw" sucht Windows ueber den PATH, jeder
' andere Wert muss eine Datei sein. Oeffentlich nur, damit die Tests sie aufrufen koennen.
Public Function Interpreterfehler(ByVal Interpreter As String) As String
    If Interpreter = "python" Or Interpreter = "pythonw" Then Exit Function
    If DateiVorhanden(Interpreter) Then Exit Function
    Dim Neben As String
    Neben = ThisWorkbook.Path & "\xlwings.conf"
    ' Aus OneDrive/SharePoint geoeffnet ist Path eine Internetadresse: die Datei liegt dann im
    ' synchronisierten Ordner, den nur der Explorer zeigt.
    If InStr(Neben, "://") > 0 Then Neben = "xlwings.conf im Ordner der Steuerungsmappe " _
        & "(im Explorer, im synchronisierten Ordner)"
    Interpreterfehler = Umlaute("Das Python f{ue}r die Kn{oe}pfe wurde nicht gefunden:") _
        & vbCrLf & vbCrLf & Interpreter & vbCrLf & vbCrLf _
        & Umlaute("Bitte den Pfad der pythonw.exe (oder python.exe) in der Zeile " _
        & "INTERPRETER_WIN einer dieser Dateien eintragen:") & vbCrLf _
        & "- " & Neben & vbCrLf _
        & Umlaute("  (neben der Steuerungsmappe: gilt f{ue}r alle, die sie {oe}ffnen, und geht " _
        & "vor)") & vbCrLf _
        & "- " & Environ$("USERPROFILE") & "\.xlwings\xlwings.conf" & vbCrLf _
        & Umlaute("  (nur f{ue}r Sie; die Zeile neben der Steuerungsmappe dann l{oe}schen)") _
        & vbCrLf & vbCrLf _
        & Umlaute("Den Pfad zeigt in der Eingabeaufforderung: py -c ""import sys; " _
        & "print(sys.executable)"". Mehr im README, Abschnitt ""Kn{oe}pfe in der " _
        & "Steuerungsmappe"".")
End Function

' Die Arbeit jedes Knopfs; Aktion ist sein Name fuer die Meldungen, Befehl der Python-Aufruf.
Private Sub Starten(ByVal Aktion As String, ByVal Befehl As String)
    Dim Interpreter As String
    Dim Meldung As String
    On Error GoTo Fehler
    ThisWorkbook.Save
    Interpreter = PythonInterpreter()
    Meldung = Interpreterfehler(Interpreter)
    If Meldung <> "" Then
        MsgBox Umlaute(Chr(34) & Aktion & Chr(34) & " wurde nicht gestartet.") & vbCrLf _
            & vbCrLf & Meldung, vbCritical, TITEL
        Exit Sub
    End If
    If RunPython(Befehl) = PYTHON_FEHLER Then Pythonfehler Aktion, Interpreter
    Exit Sub
Fehler:
    Fehlermeldung Aktion, Err.Number, Err.Description
End Sub

' Der Interpreter, den RunPython starten wird, ermittelt wie dort: INTERPRETER_WIN, sonst
' INTERPRETER, sonst "python". GetConfig (Modul xlwings) liest das Blatt xlwings.conf, die
' Datei xlwings.conf neben der Mappe, dann die des Benutzers, und ersetzt %VARIABLEN%.
Private Function PythonInterpreter() As String
    PythonInterpreter = GetConfig("INTERPRETER_WIN", "")
    If PythonInterpreter = "" Then PythonInterpreter = GetConfig("INTERPRETER", "python")
End Function

' Wie FileExists im Modul xlwings (GetAttr, kein Ordner), damit beide Pruefungen gleich urteilen.
Private Function DateiVorhanden(ByVal Pfad As String) As Boolean
    Dim Merkmale As Long
    On Error Resume Next
    Merkmale = GetAttr(Pfad)
    If Err.Number = 0 Then DateiVorhanden = (Merkmale And vbDirectory) = 0
    On Error GoTo 0
End Function

' Nach RunPython = -1: xlwings hat die Fehlerausgabe von Python schon gezeigt. Die kann eine
' deutsche Meldung von ikz_excel.knoepfe sein (ohne aufrufende Mappe) oder ein englischer
' Python-Fehler; VBA sieht nur -1 und kann beides nicht unterscheiden.
Private Sub Pythonfehler(ByVal Aktion As String, ByVal Interpreter As String)
    Dim Text As String
    Text = Chr(34) & Aktion & Chr(34) & ": Python hat einen Fehler gemeldet (im Fenster davor). " _
        & "Steht dort eine deutsche Meldung, gilt sie." & vbCrLf & vbCrLf _
        & "Sonst sind h{ae}ufige Ursachen:" & vbCrLf
    If Interpreter = "python" Or Interpreter = "pythonw" Then
        Text = Text & "- Python ist nicht installiert oder nicht auf dem PATH (""python"" ist " _
            & "kein bekannter Befehl)." & vbCrLf
    End If
    Text = Text _
        & "- ikz_excel oder xlwings fehlen in diesem Python (ModuleNotFoundError): in der " _
        & "Eingabeaufforderung im Projektordner py -m pip install . ausf{ue}hren." & vbCrLf _
        & "- Die IT erlaubt Excel nicht, Programme zu starten. Die Befehlszeile (ikz oder " _
        & "py -m ikz_excel) geht ohne Excel." & vbCrLf & vbCrLf _
        & "Mehr im README, Abschnitt ""Kn{oe}pfe in der Steuerungsmappe""." & vbCrLf _
        & "Gestartet wurde: "
    MsgBox Umlaute(Text) & Interpreter, vbExclamation, TITEL
End Sub

Private Sub Fehlermeldung(ByVal Aktion As String, ByVal Nummer As Long, _
                          ByVal Beschreibung As String)
    Dim Text As String
    Text = Chr(34) & Aktion & Chr(34) & " konnte nicht gestartet werden." & vbCrLf & vbCrLf _
        & "Fehler " & Nummer & ": " & Beschreibung & vbCrLf & vbCrLf _
        & "Bitte pr{ue}fen:" & vbCrLf _
        & "- Ist die Steuerungsmappe schreibgesch{ue}tzt oder woanders ge{oe}ffnet?" & vbCrLf _
        & "- Verhindert eine Richtlinie der IT, dass Excel Programme startet? Die " _
        & "Befehlszeile (ikz oder py -m ikz_excel) geht ohne Excel." & vbCrLf _
        & "- Sind Python, ikz_excel und xlwings eingerichtet?" & vbCrLf _
        & "Mehr im README, Abschnitt ""Kn{oe}pfe in der Steuerungsmappe""."
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
