<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fa_IR">
<context>
    <name>About</name>
    <message>
        <source>About Optimizer Lab</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Watch gradient-descent optimizers work, step by step, on a loss surface.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ControlPanel</name>
    <message>
        <source>Loss surface</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Custom expression…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>L(x, y), e.g. x^2 + 10*y^2 — Enter to use</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type a loss in x and y (or w1, w2): + − * / ^, sin cos tan exp log sqrt abs min max sigmoid softplus relu …, constants pi and e. Press Enter to use it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start point (or click the contour)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use the surface&apos;s own start point</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Optimizers (tick to race, click to edit)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type a loss in x and y first, e.g. x^2 + 10*y^2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0}: hyperparameters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0}; allowed: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>η on a log scale, 1e-5 … 10; type any value in the field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>defaults</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>η schedule</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Crash</name>
    <message>
        <source>The full report was saved to:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The report could not be saved to disk.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Optimizer Lab — unexpected error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Something went wrong: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The app will try to carry on; if it misbehaves, restart it and send the log file to whoever looks after the lab.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>Contour race (image)</source>
        <extracomment>(key, label, formats offered) in the order of the &quot;What&quot; list.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Per-weight panels (image)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Whole window (image)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Animation of the race</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trajectories and configuration (data)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PNG image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SVG vector image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>animated GIF</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MP4 video (needs the mp4 extra)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV: every optimizer&apos;s steps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JSON: configuration + trajectories</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> frames/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> frames</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Format</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Frame rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Length</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The window is scaled to fit the size, keeping its shape.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MP4 needs the optional mp4 extra; GIF always works.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Numbers exactly as the engine computed them; JSON includes the full configuration.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Text and lines scale with the image size.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export to</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ExportJob</name>
    <message>
        <source>Exporting {0}…</source>
        <extracomment>Jobs in flight: kept here so a running export outlives the dialog that started it.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exported {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the export stopped unexpectedly ({0}); see the log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exporting {0}: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FormulaCard</name>
    <message>
        <source>η schedule {0}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Inspector</name>
    <message>
        <source>Click or hover a step on a trail or a plot to see its numbers.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(long run: every {0}th step is kept)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LessonPanel</name>
    <message>
        <source>surface</source>
        <extracomment>Letters of right-to-left scripts (Arabic/Persian blocks, Hebrew) and the ZWNJ/RLM joiners. Plot symbols as the per-weight plots label them (``gui.views.panels.ROWS``). A hint was clicked: the target to highlight (``lr``, ``G``, …, ``contour``, ``inspector``). &quot;Play this lesson&quot; was clicked: the window applies ``panel.lesson.config`` and plays it.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>inspector</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close the lesson</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Watch this:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Play this comparison</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Play this lesson</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compare {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lesson {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Highlight it</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Optimizer Lab</source>
        <extracomment>Speed slider stops, in steps per second; 60 steps/s is &quot;1×&quot;.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step inspector</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Play</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Play / pause (Space)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One step (→)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Back to step 0 (R)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open session…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save session…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Full screen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reset view</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Timeline back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Timeline forward</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Playback</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> Speed </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the gradient arrow (steepest descent direction)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the momentum / first-moment arrow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the step actually taken</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show an ellipse with √G per axis: a long axis means a small rate on that weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>log L</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log scale for the loss plot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open recent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About Optimizer Lab</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>compiling…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>max speed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} steps/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step limit {0} reached — raise it to go on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every optimizer has converged or diverged.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>step {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Optimizer Lab sessions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot open session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opened {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot save session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export is not available in this build.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PerWeightPanels</name>
    <message>
        <source>effective learning rate of each weight</source>
        <extracomment>(key, axis label, log-y by default, what it is) — the rows top to bottom.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>accumulated squared gradient</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>momentum / first moment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>gradient ∂L/∂w</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the weights</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the loss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>step t</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(one colour per optimizer)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StatusTable</name>
    <message>
        <source>Optimizer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>diverged at step {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>converged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>step limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>running</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Timeline</name>
    <message>
        <source>Timeline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drag to see every optimizer at the same step (← / Shift+→ move by one)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Live</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow the newest step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>step {0} / {1}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>engine</name>
    <message>
        <source>SGD</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the lecture</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Momentum (lecture)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remembers only the previous gradient.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>M = g(t) + α·g(t−1), so Δw = −η·M</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Momentum (heavy ball)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remembers every past gradient, geometrically fading.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>velocity M ← α·M + g</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>torch.optim.SGD(momentum=α, dampening=0)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nesterov momentum</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>torch.optim.SGD(momentum=α, nesterov=True)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>AdaGrad</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>G only grows, so each weight&apos;s rate only shrinks.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>G ← G + g² (only grows)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the lecture; torch.optim.Adagrad(lr_decay=0)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>RMSprop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>G forgets old gradients, so a rate can grow again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>G ← β·G + (1−β)·g² (forgets)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the lecture; torch.optim.RMSprop(alpha=β)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Adam (lecture)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Without bias correction the first steps are about 3× larger (β = 0.999).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>M ← α·M + (1−α)·g</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>G ← β·G + (1−β)·g²</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the lecture (no bias correction)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Adam</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kingma &amp; Ba 2015; torch.optim.Adam</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>AMSGrad</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>torch.optim.Adam(amsgrad=True)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>AdamW</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>torch.optim.AdamW</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NAdam</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>torch.optim.NAdam</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Adadelta</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The effective rate is η·√(U+ε)/√(G+ε).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>G ← ρ·G + (1−ρ)·g²</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>torch.optim.Adadelta</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>QHM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ma &amp; Yarats, ICLR 2019 (their β is our α)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>QHAdam</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ma &amp; Yarats, ICLR 2019</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>learning rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>momentum / first-moment decay</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>second-moment (G) decay</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>added to √G to avoid division by 0</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>decoupled weight decay</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Adadelta&apos;s decay of G and of Δ²</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>weight of the momentum term (ν₁)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>weight of v̂ in QHAdam&apos;s denominator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NAdam&apos;s momentum decay</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ill-conditioned bowl</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Condition</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rosenbrock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Beale</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Himmelblau</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Four minima, all with L = 0: which one a run reaches depends on where it starts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Booth (rotated bowl)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Matyas (flat valley)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saddle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No minimum: L falls without bound along w2. The gradient vanishes at the saddle (0, 0); a run starting slightly off the w1 axis slows down near it, then escapes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Monkey saddle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No minimum: three valleys fall without bound. At the saddle (0, 0) the gradient and the curvature both vanish, so runs crawl past it before escaping down a valley.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rastrigin</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A bowl covered in local minima near every integer point; only (0, 0) is global.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ackley</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nearly flat outside, full of local minima, with a sharp cone (a kink) at the minimum.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Six-hump camel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Six local minima; the two global ones (L ≈ −1.0316) mirror each other through (0, 0).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Goldstein–Price</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>L ranges from 3 to about a million: adaptive step sizes matter here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Styblinski–Tang</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Four minima; only the one at (−2.90, −2.90) is global.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
