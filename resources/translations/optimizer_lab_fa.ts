<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fa_IR">
<context>
    <name>About</name>
    <message>
        <source>About Optimizer Lab</source>
        <translation>درباره‌ی آزمایشگاه بهینه‌سازها</translation>
    </message>
    <message>
        <source>Watch gradient-descent optimizers work, step by step, on a loss surface.</source>
        <translation>کار بهینه‌سازهای گرادیان کاهشی را گام‌به‌گام روی یک سطح زیان تماشا کنید.</translation>
    </message>
    <message>
        <source>Built-in data</source>
        <translation>داده‌های همراه برنامه</translation>
    </message>
</context>
<context>
    <name>ControlPanel</name>
    <message>
        <source>linear</source>
        <extracomment>The loss picker&apos;s entries for data losses: a built-in preset (&quot;data:penguins:0&quot;), the CSV that is racing, and &quot;Open CSV…&quot;.</extracomment>
        <translation>خطی</translation>
    </message>
    <message>
        <source>logistic</source>
        <translation>لجستیک</translation>
    </message>
    <message>
        <source>Loss surface</source>
        <extracomment>The gradient&apos;s settings: {&quot;standardize&quot;: bool}, {&quot;batch_size&quot;: int (0 = full batch)}, {&quot;own_batches&quot;: bool}, {&quot;noise&quot;: float σ} or {&quot;seed&quot;: int}.</extracomment>
        <translation>سطح زیان</translation>
    </message>
    <message>
        <source>Custom expression…</source>
        <translation>عبارت دلخواه…</translation>
    </message>
    <message>
        <source>Open CSV…</source>
        <translation>باز کردن CSV…</translation>
    </message>
    <message>
        <source>Fit a line or a logistic curve to two columns of your own table</source>
        <translation>برازش یک خط یا یک منحنی لجستیک بر دو ستون از جدول خودتان</translation>
    </message>
    <message>
        <source>L(x, y), e.g. x^2 + 10*y^2 — Enter to use</source>
        <translation>‏‪L(x, y)‬، مثلاً ‪x^2 + 10*y^2‬ — با Enter اعمال کنید</translation>
    </message>
    <message>
        <source>Type a loss in x and y (or w1, w2): + − * / ^, sin cos tan exp log sqrt abs min max sigmoid softplus relu …, constants pi and e. Press Enter to use it.</source>
        <translation>تابع زیان را برحسب x و y (یا w1 و w2) بنویسید: ‪+ − * / ^‬، ‪sin cos tan exp log sqrt abs min max sigmoid softplus relu …‬، و ثابت‌های pi و e. برای اعمال، Enter را بزنید.</translation>
    </message>
    <message>
        <source>compiling…</source>
        <translation>در حال کامپایل…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>لغو</translation>
    </message>
    <message>
        <source>Stop compiling this formula; the current surface stays</source>
        <translation>کامپایل این فرمول متوقف شود؛ سطح فعلی می‌ماند</translation>
    </message>
    <message>
        <source>Gradient: minibatches and noise</source>
        <extracomment>The loss the form last showed: a refused formula is kept only while that loss races on. A formula the learner sent that has not been answered yet (compiled, refused, cancelled).</extracomment>
        <translation>گرادیان: دسته‌های کوچک و نویز</translation>
    </message>
    <message>
        <source>Standardise features</source>
        <translation>استانداردسازی ویژگی‌ها</translation>
    </message>
    <message>
        <source>Fit on x&apos; = (x − mean)/std instead of x: the narrow valley becomes a round bowl</source>
        <translation>برازش روی x&apos; = (x − میانگین)/انحراف معیار به جای x: دره‌ی باریک به کاسه‌ای گرد تبدیل می‌شود</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>اندازه‌ی دسته</translation>
    </message>
    <message>
        <source>same batches for every racer</source>
        <translation>دسته‌های یکسان برای همه‌ی مسابقه‌دهنده‌ها</translation>
    </message>
    <message>
        <source>own batches per racer</source>
        <translation>دسته‌های جدا برای هر مسابقه‌دهنده</translation>
    </message>
    <message>
        <source>Same: every racer steps on the same rows at each step, so only the rules differ. Own: each racer draws its own batches from its own seed.</source>
        <translation>یکسان: همه‌ی مسابقه‌دهنده‌ها در هر گام روی همان سطرها گام برمی‌دارند، پس فقط قاعده‌ها فرق دارند. جدا: هر مسابقه‌دهنده دسته‌های خودش را با seed خودش می‌کشد.</translation>
    </message>
    <message>
        <source>Add Gaussian noise of this standard deviation to every gradient, on any surface (0: none)</source>
        <translation>به هر گرادیان، روی هر سطحی، نویز گاوسی با این انحراف معیار اضافه کن (0: بدون نویز)</translation>
    </message>
    <message>
        <source>Noise σ</source>
        <translation>نویز σ</translation>
    </message>
    <message>
        <source>The same seed gives the same batches and noise, bit for bit</source>
        <translation>همان seed دقیقاً همان دسته‌ها و همان نویز را می‌دهد، بیت به بیت</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>بذر تصادفی (seed)</translation>
    </message>
    <message>
        <source>Pick a data loss (the penguins, or a CSV) to fit on minibatches</source>
        <translation>برای برازش روی دسته‌های کوچک، یک تابع خطای داده‌ای (پنگوئن‌ها یا یک CSV) انتخاب کنید</translation>
    </message>
    <message>
        <source>Rows per step, 1 … {0}; {0} is the full batch: the exact gradient</source>
        <translation>تعداد سطر در هر گام، 1 … {0}؛ {0} یعنی همه‌ی داده: گرادیان دقیق</translation>
    </message>
    <message>
        <source>of {0}: full batch</source>
        <translation>از {0}: همه‌ی داده</translation>
    </message>
    <message>
        <source>of {0}</source>
        <translation>از {0}</translation>
    </message>
    <message>
        <source>Noise σ must be a number ≥ 0 (0: no noise)</source>
        <translation>نویز σ باید عددی ≥ 0 باشد (0: بدون نویز)</translation>
    </message>
    <message>
        <source>Start point (or click the contour)</source>
        <translation>نقطهٔ شروع (یا روی نمودار تراز کلیک کنید)</translation>
    </message>
    <message>
        <source>Use the surface&apos;s own start point</source>
        <translation>نقطهٔ شروعِ پیش‌فرضِ همین سطح</translation>
    </message>
    <message>
        <source>Racers (tick to race, click to edit)</source>
        <translation>شرکت‌کننده‌ها (تیک: در مسابقه، کلیک: ویرایش)</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>افزودن</translation>
    </message>
    <message>
        <source>Add a racer: any optimizer, with its default settings</source>
        <translation>افزودن شرکت‌کننده: هر بهینه‌ساز، با تنظیمات پیش‌فرضش</translation>
    </message>
    <message>
        <source>Race again</source>
        <translation>دوباره با…</translation>
    </message>
    <message>
        <source>Race again with…: a copy of the selected racer, to race with other settings</source>
        <translation>دوباره با…: رونوشتی از شرکت‌کنندهٔ انتخاب‌شده، تا با تنظیمات دیگری مسابقه دهد</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>برداشتن</translation>
    </message>
    <message>
        <source>Take the selected racer out of the race</source>
        <translation>شرکت‌کنندهٔ انتخاب‌شده را از مسابقه بیرون ببر</translation>
    </message>
    <message>
        <source>Move the selected racer up</source>
        <translation>شرکت‌کنندهٔ انتخاب‌شده را بالا ببر</translation>
    </message>
    <message>
        <source>Move the selected racer down</source>
        <translation>شرکت‌کنندهٔ انتخاب‌شده را پایین ببر</translation>
    </message>
    <message>
        <source>Step limit</source>
        <translation>سقف گام‌ها</translation>
    </message>
    <message>
        <source>A race holds at most {0} racers: remove one to add another.</source>
        <translation>یک مسابقه حداکثر {0} شرکت‌کننده دارد: برای افزودن، یکی را بردارید.</translation>
    </message>
    <message>
        <source>Type a loss in x and y first, e.g. x^2 + 10*y^2</source>
        <translation>اول تابع زیان را برحسب x و y بنویسید، مثلاً ‪x^2 + 10*y^2‬</translation>
    </message>
    <message>
        <source>{0}: hyperparameters</source>
        <translation>ابرپارامترهای {0}</translation>
    </message>
    <message>
        <source>Add a racer to race</source>
        <translation>برای مسابقه یک شرکت‌کننده اضافه کنید</translation>
    </message>
    <message>
        <source>{0}; allowed: {1}</source>
        <translation>{0}؛ مقدار مجاز: ‪{1}‬</translation>
    </message>
    <message>
        <source>η on a log scale, 1e-5 … 10; type any value in the field</source>
        <translation>مقیاس لگاریتمی برای η، از ‪1e-5‬ تا 10؛ هر مقداری را می‌توانید در کادر بنویسید</translation>
    </message>
    <message>
        <source>defaults</source>
        <translation>پیش‌فرض‌ها</translation>
    </message>
    <message>
        <source>η schedule</source>
        <translation>برنامهٔ زمانی η</translation>
    </message>
</context>
<context>
    <name>Crash</name>
    <message>
        <source>The full report was saved to:</source>
        <translation>گزارش کامل در این مسیر ذخیره شد:</translation>
    </message>
    <message>
        <source>The report could not be saved to disk.</source>
        <translation>گزارش روی دیسک ذخیره نشد.</translation>
    </message>
    <message>
        <source>Optimizer Lab — unexpected error</source>
        <translation>آزمایشگاه بهینه‌سازها — خطای غیرمنتظره</translation>
    </message>
    <message>
        <source>Something went wrong: {0}</source>
        <translation>مشکلی پیش آمد: ‪{0}‬</translation>
    </message>
    <message>
        <source>The app will try to carry on; if it misbehaves, restart it and send the log file to whoever looks after the lab.</source>
        <translation>برنامه سعی می‌کند به کارش ادامه دهد؛ اگر درست کار نکرد، آن را دوباره اجرا کنید و پروندهٔ گزارش (log) را برای مسئول آزمایشگاه بفرستید.</translation>
    </message>
</context>
<context>
    <name>DataDialog</name>
    <message>
        <source>Fit a model to a CSV file</source>
        <extracomment>A logistic model&apos;s classes are listed only while a column has at most this many distinct values.</extracomment>
        <translation>برازش یک مدل بر یک فایل CSV</translation>
    </message>
    <message>
        <source>A table with a header row. Pick the column x the model reads and the column y it predicts: linear y ≈ w1·x + w2, or logistic p(y = class) = σ(w1·x + w2).</source>
        <translation>جدولی با یک سطر عنوان. ستون x را که مدل می‌خواند و ستون y را که پیش‌بینی می‌کند انتخاب کنید: خطی y ≈ w1·x + w2، یا لجستیک p(y = کلاس) = σ(w1·x + w2).</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>مرور…</translation>
    </message>
    <message>
        <source>File</source>
        <translation>فایل</translation>
    </message>
    <message>
        <source>linear regression (mean squared error)</source>
        <translation>رگرسیون خطی (میانگین مربع خطا)</translation>
    </message>
    <message>
        <source>logistic regression (cross-entropy)</source>
        <translation>رگرسیون لجستیک (آنتروپی متقاطع)</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>مدل</translation>
    </message>
    <message>
        <source>x (input)</source>
        <translation>x (ورودی)</translation>
    </message>
    <message>
        <source>y (target)</source>
        <translation>y (هدف)</translation>
    </message>
    <message>
        <source>class counted as 1</source>
        <translation>کلاسی که 1 شمرده می‌شود</translation>
    </message>
    <message>
        <source>Open CSV</source>
        <translation>باز کردن CSV</translation>
    </message>
    <message>
        <source>CSV tables</source>
        <translation>جدول‌های CSV</translation>
    </message>
    <message>
        <source>This file has no numeric column for x.</source>
        <translation>این فایل هیچ ستون عددی برای x ندارد.</translation>
    </message>
</context>
<context>
    <name>DataView</name>
    <message>
        <source>The model&apos;s weights have diverged: no line.</source>
        <extracomment>Logistic targets are drawn this far apart around 0 and 1, by row number (no randomness), so 300 penguins on two lines read as two bands rather than two solid strokes.</extracomment>
        <translation>وزن‌های مدل واگرا شده‌اند: خطی نیست.</translation>
    </message>
    <message>
        <source>The model&apos;s line is below the data.</source>
        <translation>خط مدل زیر داده‌هاست.</translation>
    </message>
    <message>
        <source>The model&apos;s line is above the data.</source>
        <translation>خط مدل بالای داده‌هاست.</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>Contour race (image)</source>
        <extracomment>(key, label, formats offered) in the order of the &quot;What&quot; list.</extracomment>
        <translation>مسابقه روی نمودار تراز (تصویر)</translation>
    </message>
    <message>
        <source>Per-weight panels (image)</source>
        <translation>نمودارهای هر وزن (تصویر)</translation>
    </message>
    <message>
        <source>Whole window (image)</source>
        <translation>کل پنجره (تصویر)</translation>
    </message>
    <message>
        <source>Animation of the race</source>
        <translation>پویانمایی مسابقه</translation>
    </message>
    <message>
        <source>Animation of the per-weight panels</source>
        <translation>پویانمایی نمودارهای هر وزن</translation>
    </message>
    <message>
        <source>Animation of the race and the panels side by side</source>
        <translation>پویانمایی مسابقه و نمودارها کنار هم</translation>
    </message>
    <message>
        <source>Trajectories and configuration (data)</source>
        <translation>مسیرها و پیکربندی (داده)</translation>
    </message>
    <message>
        <source>PNG image</source>
        <translation>تصویر PNG</translation>
    </message>
    <message>
        <source>SVG vector image</source>
        <translation>تصویر برداری SVG</translation>
    </message>
    <message>
        <source>animated GIF</source>
        <translation>GIF متحرک</translation>
    </message>
    <message>
        <source>MP4 video (needs the mp4 extra)</source>
        <translation>ویدیوی MP4 (به بستهٔ اختیاری mp4 نیاز دارد)</translation>
    </message>
    <message>
        <source>CSV: every optimizer&apos;s steps</source>
        <translation>CSV: گام‌های همهٔ بهینه‌سازها</translation>
    </message>
    <message>
        <source>JSON: configuration + trajectories</source>
        <translation>JSON: پیکربندی + مسیرها</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>خروجی</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>انتخاب…</translation>
    </message>
    <message>
        <source> frames/s</source>
        <translation> فریم/ثانیه</translation>
    </message>
    <message>
        <source> frames</source>
        <translation> فریم</translation>
    </message>
    <message>
        <source>the end</source>
        <translation>پایان</translation>
    </message>
    <message>
        <source>one frame per step at first, then fewer</source>
        <translation>اول هر گام یک قاب، سپس کمتر</translation>
    </message>
    <message>
        <source>frames evenly spread</source>
        <translation>قاب‌ها با فاصلهٔ یکسان</translation>
    </message>
    <message>
        <source>What</source>
        <translation>محتوا</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>قالب</translation>
    </message>
    <message>
        <source>File</source>
        <translation>پرونده</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>اندازه</translation>
    </message>
    <message>
        <source>Frame rate</source>
        <translation>نرخ فریم</translation>
    </message>
    <message>
        <source>Length</source>
        <translation>طول</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>گام‌ها</translation>
    </message>
    <message>
        <source>Pacing</source>
        <translation>آهنگ قاب‌ها</translation>
    </message>
    <message>
        <source>The window is scaled to fit the size, keeping its shape.</source>
        <translation>پنجره با حفظ تناسب ابعادش به این اندازه درمی‌آید.</translation>
    </message>
    <message>
        <source>The first steps get a frame each; a long run is thinned after them.</source>
        <translation>هر یک از گام‌های نخست یک قاب دارد؛ اجرای بلند پس از آن‌ها کم‌قاب‌تر می‌شود.</translation>
    </message>
    <message>
        <source>MP4 needs the optional mp4 extra; GIF always works.</source>
        <translation>برای MP4 بستهٔ اختیاری mp4 لازم است؛ GIF همیشه کار می‌کند.</translation>
    </message>
    <message>
        <source>Numbers exactly as the engine computed them; JSON includes the full configuration.</source>
        <translation>اعداد دقیقاً همان‌اند که موتور محاسبه کرده است؛ JSON پیکربندی کامل را هم دارد.</translation>
    </message>
    <message>
        <source>Text and lines scale with the image size.</source>
        <translation>متن و خطوط به نسبت اندازهٔ تصویر بزرگ یا کوچک می‌شوند.</translation>
    </message>
    <message>
        <source>Export to</source>
        <translation>ذخیرهٔ خروجی در</translation>
    </message>
    <message>
        <source>Cannot export</source>
        <translation>خروجی گرفتن ممکن نیست</translation>
    </message>
    <message>
        <source>Replace file?</source>
        <translation>فایل جایگزین شود؟</translation>
    </message>
    <message>
        <source>{0} already exists in {1}.
Do you want to replace it?</source>
        <translation>{0} از قبل در {1} هست.
می‌خواهید جایگزینش کنید؟</translation>
    </message>
</context>
<context>
    <name>ExportJob</name>
    <message>
        <source>Exporting {0}…</source>
        <extracomment>What each animation choice shows (``gui.export.iter_export_animation``&apos;s ``animate``). Jobs in flight: kept here so a running export outlives the dialog that started it.</extracomment>
        <translation>در حال ساختن خروجی ‪{0}‬…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>لغو</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>خروجی</translation>
    </message>
    <message>
        <source>Exported {0}</source>
        <translation>خروجی ذخیره شد: ‪{0}‬</translation>
    </message>
    <message>
        <source>the export stopped unexpectedly ({0}); see the log</source>
        <translation>ساختن خروجی ناگهان متوقف شد (‪{0}‬)؛ پروندهٔ گزارش را ببینید</translation>
    </message>
    <message>
        <source>Exporting {0}: {1}</source>
        <translation>در حال ساختن خروجی ‪{0}‬: {1}</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>خروجی گرفتن ناموفق بود</translation>
    </message>
</context>
<context>
    <name>FormulaCard</name>
    <message>
        <source>η schedule {0}</source>
        <extracomment>Only the heading and the rule (presentation mode: the room reads the rule, and the plots below need the height at 768 pixels). The optimizers whose cards the held height must fit (those racing; empty: all).</extracomment>
        <translation>برنامهٔ زمانی η: {0}</translation>
    </message>
    <message>
        <source>as in {0}</source>
        <translation>مطابق {0}</translation>
    </message>
</context>
<context>
    <name>Help</name>
    <message>
        <source>a weight; i = 1, 2 are the two axes of the contour (w1, w2)</source>
        <extracomment>(symbol, what it is) in the lecture&apos;s notation, in the order the lecture meets them.</extracomment>
        <translation>یک وزن؛ i = 1، 2 دو محور نمودار تراز هستند (w1، w2)</translation>
    </message>
    <message>
        <source>the gradient of the loss L for weight i at step t</source>
        <translation>گرادیان زیان L نسبت به وزن i در گام t</translation>
    </message>
    <message>
        <source>the step taken: wᵢ(t) = wᵢ(t−1) + Δwᵢ(t)</source>
        <translation>گامی که برداشته می‌شود: wᵢ(t) = wᵢ(t−1) + Δwᵢ(t)</translation>
    </message>
    <message>
        <source>the learning rate (lr): how far one step goes</source>
        <translation>نرخ یادگیری (lr): یک گام تا کجا می‌رود</translation>
    </message>
    <message>
        <source>accumulated squared gradient: AdaGrad sums gᵢ², RMSprop and Adam average it (Gᵢ(t) = β·Gᵢ(t−1) + (1−β)·gᵢ(t)²); Gᵢ(0) = 0</source>
        <translation>مربع گرادیان انباشته: AdaGrad مقدار gᵢ² را جمع می‌کند، RMSprop و Adam میانگین می‌گیرند (Gᵢ(t) = β·Gᵢ(t−1) + (1−β)·gᵢ(t)²)؛ Gᵢ(0) = 0</translation>
    </message>
    <message>
        <source>the effective learning rate of weight i: large G, small steps</source>
        <translation>نرخ یادگیری مؤثر وزن i: G بزرگ، گام‌های کوچک</translation>
    </message>
    <message>
        <source>a tiny number (eps) that keeps η/(√G+ε) finite while G is 0</source>
        <translation>عددی بسیار کوچک (eps) که η/(√G+ε) را وقتی G صفر است متناهی نگه می‌دارد</translation>
    </message>
    <message>
        <source>momentum, an average of past gradients: Mᵢ(t) = α·Mᵢ(t−1) + (1−α)·gᵢ(t); the step goes along −M</source>
        <translation>تکانه، میانگین گرادیان‌های گذشته: Mᵢ(t) = α·Mᵢ(t−1) + (1−α)·gᵢ(t)؛ گام در جهت −M است</translation>
    </message>
    <message>
        <source>how much of the past M keeps (alpha, e.g. 0.9)</source>
        <translation>چه اندازه از M گذشته می‌ماند (alpha، مثلاً 0.9)</translation>
    </message>
    <message>
        <source>how much of the past G keeps (beta, e.g. 0.999)</source>
        <translation>چه اندازه از G گذشته می‌ماند (beta، مثلاً 0.999)</translation>
    </message>
    <message>
        <source>the step number; step 0 is the start, before any gradient</source>
        <translation>شماره‌ی گام؛ گام 0 نقطه‌ی شروع است، پیش از هر گرادیان</translation>
    </message>
</context>
<context>
    <name>Inspector</name>
    <message>
        <source>Click or hover a step on a trail or a plot to see its numbers.</source>
        <translation>برای دیدن اعداد یک گام، روی آن در مسیرها یا نمودارها کلیک کنید یا نشانگر را رویش نگه دارید.</translation>
    </message>
    <message>
        <source>(long run: every {0}th step is kept)</source>
        <translation>(اجرای طولانی: از هر {0} گام یکی نگه داشته می‌شود)</translation>
    </message>
</context>
<context>
    <name>LessonPanel</name>
    <message>
        <source>Choose a lesson</source>
        <extracomment>Letters of right-to-left scripts (Arabic/Persian blocks, Hebrew) and the ZWNJ/RLM joiners. Formulas up to this length are kept on one line; longer ones must wrap to fit ~300 px. Plot symbols as the per-weight plots label them (``gui.views.panels.ROWS``). A hint was clicked: the target to highlight (``lr``, ``G``, …, ``contour``, ``inspector``). &quot;Play this lesson&quot; was clicked: the window applies ``panel.lesson.config`` and plays it. A lesson was picked from the list the panel shows while none is open (``show_choices``).</extracomment>
        <translation>یک درس انتخاب کنید</translation>
    </message>
    <message>
        <source>Each sets up a race and says what to watch. Click one to open it.</source>
        <translation>هر درس یک مسابقه را آماده می‌کند و می‌گوید به چه نگاه کنید. برای باز کردن، روی آن کلیک کنید.</translation>
    </message>
    <message>
        <source>Lessons</source>
        <translation>درس‌ها</translation>
    </message>
    <message>
        <source>Comparisons</source>
        <translation>مقایسه‌ها</translation>
    </message>
    <message>
        <source>No lessons were found.</source>
        <translation>هیچ درسی پیدا نشد.</translation>
    </message>
    <message>
        <source>surface</source>
        <translation>سطح زیان</translation>
    </message>
    <message>
        <source>inspector</source>
        <translation>جزئیات گام</translation>
    </message>
    <message>
        <source>Close the lesson</source>
        <translation>بستن درس</translation>
    </message>
    <message>
        <source>Watch this:</source>
        <translation>به این‌ها دقت کنید:</translation>
    </message>
    <message>
        <source>Play this comparison</source>
        <translation>اجرای این مقایسه</translation>
    </message>
    <message>
        <source>Play this lesson</source>
        <translation>اجرای این درس</translation>
    </message>
    <message>
        <source>Compare {0}</source>
        <translation>مقایسهٔ {0}</translation>
    </message>
    <message>
        <source>Lesson {0}</source>
        <translation>درس {0}</translation>
    </message>
    <message>
        <source>Highlight it</source>
        <translation>برجسته کن</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Optimizer Lab</source>
        <extracomment>While playing, the numbers (readout, table, timeline) change every this many frames (5 Hz). ``MainWindow._pair_due`` for all six line plots at once (slow speeds). Speed slider stops, in steps per second. The first start plays 10 steps a second: the first 50 steps, where the optimizers differ most, take 5 s, slow enough to follow in a lecture. It is marked &quot;1×&quot; on the slider. Up to this many rows a second (steps per second × racers: 5 racers at 60 steps/s, 12 at 20) the six line plots take their rows together, with the numbers (5 Hz): one repaint of the plots instead of three (the window&apos;s CPU at 1×: benchmarks/HISTORY.md, &quot;The live window&quot;). More, and two plots a frame in turn: twelve racers&apos; six plots at 60 steps/s were one 56 ms job. A data surface whose window is wider or taller than this ratio is drawn with free axes. The inspector names at most this many rows of a minibatch (then &quot;…&quot;). Presentation mode (F11): text, lines, markers and legend this much larger. Ctrl+plus / Ctrl+minus go through these interface sizes.</extracomment>
        <translation>آزمایشگاه بهینه‌سازها</translation>
    </message>
    <message>
        <source>Standardise features</source>
        <translation>استانداردسازی ویژگی‌ها</translation>
    </message>
    <message>
        <source>{0} diverged: on raw features the loss is a narrow ravine, and no one learning rate suits both weights. Standardised, it is a round bowl.</source>
        <translation>{0} واگرا شد: روی ویژگی‌های خام، تابع هزینه دره‌ای باریک است و هیچ نرخ یادگیری واحدی برای هر دو وزن مناسب نیست. با استانداردسازی، کاسه‌ای گرد می‌شود.</translation>
    </message>
    <message>
        <source>Controls</source>
        <translation>تنظیمات</translation>
    </message>
    <message>
        <source>Lesson</source>
        <translation>درس</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>وضعیت</translation>
    </message>
    <message>
        <source>Step inspector</source>
        <translation>جزئیات گام</translation>
    </message>
    <message>
        <source>Plots show:</source>
        <translation>نمودارها نشان می‌دهند:</translation>
    </message>
    <message>
        <source>all steps</source>
        <translation>همهٔ گام‌ها</translation>
    </message>
    <message>
        <source>the first {0} steps</source>
        <translation>{0} گام نخست</translation>
    </message>
    <message>
        <source>Show only the first steps in the per-weight plots, across their full width</source>
        <translation>فقط گام‌های نخست را در نمودارهای هر وزن، در تمام پهنای آن‌ها، نشان بده</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>اجرا</translation>
    </message>
    <message>
        <source>Play / pause (Space)</source>
        <translation>اجرا / مکث (Space)</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>گام</translation>
    </message>
    <message>
        <source>One step (→)</source>
        <translation>یک گام (→)</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>از نو</translation>
    </message>
    <message>
        <source>Back to step 0 (R)</source>
        <translation>بازگشت به گام 0 (R)</translation>
    </message>
    <message>
        <source>Open session…</source>
        <translation>باز کردن نشست…</translation>
    </message>
    <message>
        <source>Save session…</source>
        <translation>ذخیرهٔ نشست…</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>خروجی…</translation>
    </message>
    <message>
        <source>Full screen</source>
        <translation>تمام‌صفحه</translation>
    </message>
    <message>
        <source>Presentation (lecture hall)</source>
        <translation>ارائه (کلاس درس)</translation>
    </message>
    <message>
        <source>Full screen with text, lines, markers and the legend {0}× larger</source>
        <translation>تمام‌صفحه با متن، خط‌ها، نشانگرها و راهنمای {0}× بزرگ‌تر</translation>
    </message>
    <message>
        <source>Larger</source>
        <translation>بزرگ‌تر</translation>
    </message>
    <message>
        <source>Smaller</source>
        <translation>کوچک‌تر</translation>
    </message>
    <message>
        <source>Reset view</source>
        <translation>بازنشانی نما</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>خروج</translation>
    </message>
    <message>
        <source>Timeline back</source>
        <translation>خط زمان: یک گام عقب</translation>
    </message>
    <message>
        <source>Timeline forward</source>
        <translation>خط زمان: یک گام جلو</translation>
    </message>
    <message>
        <source>Playback</source>
        <translation>کنترل اجرا</translation>
    </message>
    <message>
        <source> Speed </source>
        <translation> سرعت </translation>
    </message>
    <message>
        <source>{0} arrow (steepest descent)</source>
        <translation>پیکان {0} (تندترین کاهش)</translation>
    </message>
    <message>
        <source>Show the gradient arrow (steepest descent direction)</source>
        <translation>نمایش پیکان گرادیان (جهت تندترین کاهش)</translation>
    </message>
    <message>
        <source>{0} arrow (momentum)</source>
        <translation>پیکان {0} (تکانه)</translation>
    </message>
    <message>
        <source>Show −M, the direction momentum pushes the step</source>
        <translation>نمایش −M، جهتی که تکانه گام را به آن سو می‌برد</translation>
    </message>
    <message>
        <source>Show the step actually taken</source>
        <translation>نمایش گامی که واقعاً برداشته شد</translation>
    </message>
    <message>
        <source>{0} arrow (the step taken)</source>
        <translation>پیکان {0} (گام برداشته‌شده)</translation>
    </message>
    <message>
        <source>{0} ellipse</source>
        <translation>بیضی {0}</translation>
    </message>
    <message>
        <source>Show an ellipse with √G per axis: a long axis means a small rate on that weight</source>
        <translation>نمایش بیضی با ‪√G‬ در هر محور: محور بلندتر یعنی نرخ کوچک‌تر برای آن وزن</translation>
    </message>
    <message>
        <source>log L</source>
        <translation>log L</translation>
    </message>
    <message>
        <source>Log scale for the loss plot</source>
        <translation>مقیاس لگاریتمی برای نمودار زیان</translation>
    </message>
    <message>
        <source>Legend on the plot</source>
        <translation>راهنما روی نمودار</translation>
    </message>
    <message>
        <source>Each racer&apos;s name and loss over the contour</source>
        <translation>نام و زیان هر شرکت‌کننده روی نمودار تراز</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;پرونده</translation>
    </message>
    <message>
        <source>Open recent</source>
        <translation>نشست‌های اخیر</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>&amp;اجرا</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;نما</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>زبان</translation>
    </message>
    <message>
        <source>&amp;Lessons</source>
        <translation>&amp;درس‌ها</translation>
    </message>
    <message>
        <source>&amp;Compare</source>
        <translation>&amp;مقایسه</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;راهنما</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>میانبرهای صفحه‌کلید</translation>
    </message>
    <message>
        <source>Symbols (η, G, M, ε, α, β, g, Δw)</source>
        <translation>نمادها (η، G، M، ε، α، β، g، Δw)</translation>
    </message>
    <message>
        <source>Lessons</source>
        <translation>درس‌ها</translation>
    </message>
    <message>
        <source>About Optimizer Lab</source>
        <translation>دربارهٔ آزمایشگاه بهینه‌سازها</translation>
    </message>
    <message>
        <source>compiling…</source>
        <translation>در حال کامپایل…</translation>
    </message>
    <message>
        <source>Loading the optimizers…</source>
        <translation>بارگذاری بهینه‌سازها…</translation>
    </message>
    <message>
        <source>The first start compiles them for this computer: about half a minute, once.</source>
        <translation>نخستین اجرا آن‌ها را برای این رایانه کامپایل می‌کند: حدود نیم دقیقه، فقط یک بار.</translation>
    </message>
    <message>
        <source>A few seconds.</source>
        <translation>چند ثانیه.</translation>
    </message>
    <message>
        <source>Maps</source>
        <translation>نقشه‌ها</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>داده</translation>
    </message>
    <message>
        <source>{0} (standardised)</source>
        <translation>{0} (استانداردشده)</translation>
    </message>
    <message>
        <source>max speed</source>
        <translation>بیشترین سرعت</translation>
    </message>
    <message>
        <source>{0} steps/s</source>
        <translation>{0} گام/ثانیه</translation>
    </message>
    <message>
        <source>1 step/s</source>
        <translation>1 گام/ثانیه</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>مکث</translation>
    </message>
    <message>
        <source>Step limit {0} reached — raise it to go on.</source>
        <translation>به سقف {0} گام رسیدیم — برای ادامه، سقف را بالا ببرید.</translation>
    </message>
    <message>
        <source>Every optimizer has converged or diverged.</source>
        <translation>همهٔ بهینه‌سازها همگرا یا واگرا شدند.</translation>
    </message>
    <message>
        <source>What if: with these settings {0} diverges within {1} steps (the dashed path).</source>
        <translation>اگر چنین شود: با این تنظیم‌ها {0} ظرف {1} گام واگرا می‌شود (مسیر خط‌چین).</translation>
    </message>
    <message>
        <source>step {0}</source>
        <translation>گام {0}</translation>
    </message>
    <message>
        <source>step {0} · epoch {1}</source>
        <translation>گام {0} · دور {1}</translation>
    </message>
    <message>
        <source>g at step {0}: the full batch, all {1} rows (the exact gradient)</source>
        <translation>g در گام {0}: همه‌ی داده، هر {1} سطر (گرادیان دقیق)</translation>
    </message>
    <message>
        <source>g at step {0}: a minibatch of {1} of the {2} rows (rows {3}), epoch {4}</source>
        <translation>g در گام {0}: یک دسته‌ی کوچک از {1} سطر از {2} سطر (سطرهای {3})، دور (epoch) {4}</translation>
    </message>
    <message>
        <source>plus Gaussian noise of σ = {0} on each component</source>
        <translation>به‌علاوه‌ی نویز گاوسی با σ = {0} روی هر مؤلفه</translation>
    </message>
    <message>
        <source>Open session</source>
        <translation>باز کردن نشست</translation>
    </message>
    <message>
        <source>Optimizer Lab sessions</source>
        <translation>نشست‌های آزمایشگاه بهینه‌سازها</translation>
    </message>
    <message>
        <source>It was removed from the recent sessions.</source>
        <translation>از فهرست نشست‌های اخیر حذف شد.</translation>
    </message>
    <message>
        <source>Cannot open session</source>
        <translation>نشست باز نشد</translation>
    </message>
    <message>
        <source>Opened {0}</source>
        <translation>باز شد: ‪{0}‬</translation>
    </message>
    <message>
        <source>Save session</source>
        <translation>ذخیرهٔ نشست</translation>
    </message>
    <message>
        <source>Cannot save session</source>
        <translation>نشست ذخیره نشد</translation>
    </message>
    <message>
        <source>Saved {0}</source>
        <translation>ذخیره شد: ‪{0}‬</translation>
    </message>
    <message>
        <source>Export is not available in this build.</source>
        <translation>خروجی گرفتن در این نسخه در دسترس نیست.</translation>
    </message>
    <message>
        <source>Symbols, in the lecture&apos;s notation</source>
        <translation>نمادها، با نمادگذاری درس‌نامه</translation>
    </message>
    <message>
        <source>The remembered race could not be used, so the window starts with the defaults: {0}</source>
        <translation>مسابقهٔ به‌یادمانده قابل استفاده نبود، پس پنجره با مقادیر پیش‌فرض باز می‌شود: {0}</translation>
    </message>
</context>
<context>
    <name>MapPanel</name>
    <message>
        <source>Basin map: where each start ends</source>
        <extracomment>How long the settings must stay still before a live map recomputes. Where each hyperparameter&apos;s axis starts: ranges a learner can read (log for the scale-free ones). How the surfaces&apos; own parameters are written on an axis.</extracomment>
        <translation>نقشهٔ حوضه‌ها: هر نقطهٔ شروع به کجا می‌رسد</translation>
    </message>
    <message>
        <source>Hyperparameter map: which settings work</source>
        <translation>نقشهٔ ابرپارامترها: کدام تنظیم‌ها کار می‌کنند</translation>
    </message>
    <message>
        <source>LOW:HIGH, or LOW:HIGH:log for a log axis</source>
        <translation>‪LOW:HIGH‬، یا ‪LOW:HIGH:log‬ برای محور لگاریتمی</translation>
    </message>
    <message>
        <source>by the minimum reached</source>
        <translation>بر اساس کمینه‌ای که به آن می‌رسد</translation>
    </message>
    <message>
        <source>by the final loss</source>
        <translation>بر اساس خطای پایانی</translation>
    </message>
    <message>
        <source>by the steps to converge</source>
        <translation>بر اساس تعداد گام‌ها تا همگرایی</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>زنده</translation>
    </message>
    <message>
        <source>Recompute when a setting of the race changes</source>
        <translation>با تغییر هر تنظیم مسابقه دوباره محاسبه شود</translation>
    </message>
    <message>
        <source>Compute</source>
        <translation>محاسبه</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>لغو</translation>
    </message>
    <message>
        <source>Save…</source>
        <translation>ذخیره…</translation>
    </message>
    <message>
        <source>Save the map as a picture (PNG, SVG) or its numbers (CSV, NPZ)</source>
        <translation>ذخیرهٔ نقشه به صورت تصویر (‪PNG، SVG‬) یا عددهایش (‪CSV، NPZ‬)</translation>
    </message>
    <message>
        <source>Map</source>
        <translation>نقشه</translation>
    </message>
    <message>
        <source>x axis</source>
        <translation>محور افقی</translation>
    </message>
    <message>
        <source>y axis</source>
        <translation>محور عمودی</translation>
    </message>
    <message>
        <source>Grid</source>
        <translation>شبکه</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>رنگ</translation>
    </message>
    <message>
        <source>{symbol} (of the surface)</source>
        <translation>{symbol} (پارامتر سطح)</translation>
    </message>
    <message>
        <source>Choose two different hyperparameters for the axes.</source>
        <translation>برای دو محور دو ابرپارامتر متفاوت انتخاب کنید.</translation>
    </message>
    <message>
        <source>Cancelled: the rows done so far are shown.</source>
        <translation>لغو شد: سطرهایی که تا این‌جا محاسبه شده‌اند نمایش داده می‌شوند.</translation>
    </message>
    <message>
        <source>{optimizer}: where each start ends ({steps} steps)</source>
        <translation>{optimizer}: هر نقطهٔ شروع به کجا می‌رسد ({steps} گام)</translation>
    </message>
    <message>
        <source>{optimizer} from ({x:.3g}, {y:.3g}): {steps} steps</source>
        <translation>{optimizer} از ‪({x:.3g}, {y:.3g})‬: {steps} گام</translation>
    </message>
    <message>
        <source>Save the map</source>
        <translation>ذخیرهٔ نقشه</translation>
    </message>
    <message>
        <source>Picture (*.png *.svg);;Numbers (*.csv *.npz)</source>
        <translation>تصویر (*.png *.svg);;عددها (*.csv *.npz)</translation>
    </message>
    <message>
        <source>Save as .png, .svg, .csv or .npz, not {name}</source>
        <translation>با پسوند ‪.png‬، ‪.svg‬، ‪.csv‬ یا ‪.npz‬ ذخیره کنید، نه {name}</translation>
    </message>
    <message>
        <source>Saved {path}</source>
        <translation>{path} ذخیره شد</translation>
    </message>
</context>
<context>
    <name>PerWeightPanels</name>
    <message>
        <source>effective learning rate of each weight</source>
        <extracomment>The recorded fields plotted, top to bottom: (log-y by default, what it is, for the tooltip).</extracomment>
        <translation>نرخ یادگیری مؤثر هر وزن</translation>
    </message>
    <message>
        <source>accumulated squared gradient</source>
        <translation>مربع گرادیانِ انباشته</translation>
    </message>
    <message>
        <source>momentum / first moment</source>
        <translation>تکانه / گشتاور اول</translation>
    </message>
    <message>
        <source>gradient ∂L/∂w</source>
        <translation>گرادیان ‪∂L/∂w‬</translation>
    </message>
    <message>
        <source>the weights</source>
        <translation>وزن‌ها</translation>
    </message>
    <message>
        <source>the loss</source>
        <translation>زیان</translation>
    </message>
    <message>
        <source>linear: L ≤ 0</source>
        <extracomment>(key, axis label, log-y by default, what it is) — the rows top to bottom; keys and axis labels are the record schema&apos;s (``engine.record.FIELDS``: a field&apos;s name and symbol). Tick labels on a linear plot stay this many text heights apart (centre to centre). ... and at least this many label boxes where that leaves fewer than two (a 60-pixel plot presenting). A log axis draws its minor ticks (2…9 in each decade) only this many pixels apart or more. &quot;Plots show&quot; choices: the first N steps only (None: every step, the axis growing with the race). Most of what distinguishes the optimizers happens in the first 10-100 steps, which a 2,000-step axis squeezes into its first few pixels. Shown in place of a log plot&apos;s label when some value is ≤ 0 and the plot falls back to linear.</extracomment>
        <translation>خطی: L ≤ 0</translation>
    </message>
    <message>
        <source>step t</source>
        <extracomment>Racers each plot leaves out of its range (diverged, or far out of scale) and marks. Each curve&apos;s (smallest, largest) finite value shown: what fits the plot&apos;s range. Out-of-scale curves drawn with gaps where they are far outside the plot (_mark_clipped).</extracomment>
        <translation>گام t</translation>
    </message>
    <message>
        <source>Each step adds a point to these plots: press Step or Play.</source>
        <extracomment>&quot;linear: L ≤ 0&quot; in the loss plot&apos;s top right corner while it cannot show log10(L). Show only steps 0 … this (None: all); see set_step_window.</extracomment>
        <translation>هر گام نقطه‌ای به این نمودارها می‌افزاید: «گام» یا «اجرا» را بزنید.</translation>
    </message>
    <message>
        <source>(one colour per racer)</source>
        <translation>(هر مسابقه‌دهنده یک رنگ)</translation>
    </message>
</context>
<context>
    <name>StatusTable</name>
    <message>
        <source>Optimizer</source>
        <translation>بهینه‌ساز</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>گام</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>زیان</translation>
    </message>
    <message>
        <source>State</source>
        <translation>وضعیت</translation>
    </message>
    <message>
        <source>diverged at step {0}</source>
        <translation>در گام {0} واگرا شد</translation>
    </message>
    <message>
        <source>converged</source>
        <translation>همگرا شد</translation>
    </message>
    <message>
        <source>step limit</source>
        <translation>سقف گام‌ها</translation>
    </message>
    <message>
        <source>running</source>
        <translation>در حال اجرا</translation>
    </message>
    <message>
        <source>ready</source>
        <translation>آماده</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>در مکث</translation>
    </message>
</context>
<context>
    <name>Timeline</name>
    <message>
        <source>Timeline</source>
        <translation>خط زمان</translation>
    </message>
    <message>
        <source>Drag to see every optimizer at the same step (← / Shift+→ move by one)</source>
        <translation>بکشید تا همهٔ بهینه‌سازها را در یک گام ببینید (با ← / ‪Shift+→‬ یک گام جابه‌جا شوید)</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>زنده</translation>
    </message>
    <message>
        <source>Follow the newest step</source>
        <translation>دنبال کردن تازه‌ترین گام</translation>
    </message>
    <message>
        <source>step {0} / {1}</source>
        <translation>گام {0} از {1}</translation>
    </message>
</context>
<context>
    <name>engine</name>
    <message>
        <source>SGD</source>
        <translation>SGD</translation>
    </message>
    <message>
        <source>the lecture</source>
        <translation>درس</translation>
    </message>
    <message>
        <source>Momentum (lecture)</source>
        <translation>تکانه (درس)</translation>
    </message>
    <message>
        <source>Remembers only the previous gradient.</source>
        <translation>‫فقط گرادیان قبلی را به خاطر می‌سپارد.‬</translation>
    </message>
    <message>
        <source>M = g(t) + α·g(t−1), so Δw = −η·M</source>
        <translation>‪M = g(t) + α·g(t−1)‬، پس ‪Δw = −η·M‬</translation>
    </message>
    <message>
        <source>Momentum (heavy ball)</source>
        <translation>تکانه (گوی سنگین)</translation>
    </message>
    <message>
        <source>Remembers every past gradient, geometrically fading.</source>
        <translation>‫همهٔ گرادیان‌های گذشته را به خاطر می‌سپارد، با اثری که به‌صورت هندسی کم می‌شود.‬</translation>
    </message>
    <message>
        <source>velocity M ← α·M + g</source>
        <translation>سرعت ‪M ← α·M + g‬</translation>
    </message>
    <message>
        <source>torch.optim.SGD(momentum=α, dampening=0)</source>
        <translation>‪torch.optim.SGD(momentum=α, dampening=0)‬</translation>
    </message>
    <message>
        <source>Nesterov momentum</source>
        <translation>تکانهٔ نستروف</translation>
    </message>
    <message>
        <source>torch.optim.SGD(momentum=α, nesterov=True)</source>
        <translation>‪torch.optim.SGD(momentum=α, nesterov=True)‬</translation>
    </message>
    <message>
        <source>AdaGrad</source>
        <translation>AdaGrad</translation>
    </message>
    <message>
        <source>G only grows, so each weight&apos;s rate only shrinks.</source>
        <translation>‫مقدار G فقط بزرگ می‌شود، پس نرخ هر وزن فقط کوچک می‌شود.‬</translation>
    </message>
    <message>
        <source>G ← G + g² (only grows)</source>
        <translation>‪G ← G + g²‬ (فقط بزرگ می‌شود)</translation>
    </message>
    <message>
        <source>the lecture; torch.optim.Adagrad(lr_decay=0)</source>
        <translation>درس؛ ‪torch.optim.Adagrad(lr_decay=0)‬</translation>
    </message>
    <message>
        <source>RMSprop</source>
        <translation>RMSprop</translation>
    </message>
    <message>
        <source>G forgets old gradients, so a rate can grow again.</source>
        <translation>‫مقدار G گرادیان‌های قدیمی را فراموش می‌کند، پس نرخ می‌تواند دوباره بزرگ شود.‬</translation>
    </message>
    <message>
        <source>G ← β·G + (1−β)·g² (forgets)</source>
        <translation>‪G ← β·G + (1−β)·g²‬ (فراموش می‌کند)</translation>
    </message>
    <message>
        <source>the lecture; torch.optim.RMSprop(alpha=β)</source>
        <translation>درس؛ ‪torch.optim.RMSprop(alpha=β)‬</translation>
    </message>
    <message>
        <source>Adam (lecture)</source>
        <translation>Adam (درس)</translation>
    </message>
    <message>
        <source>Without bias correction the first steps are about 3× larger (β = 0.999).</source>
        <translation>‫بدون اصلاح سوگیری، گام‌های اول حدود 3 برابر بزرگ‌ترند (‪β = 0.999‬).‬</translation>
    </message>
    <message>
        <source>M ← α·M + (1−α)·g</source>
        <translation>‪M ← α·M + (1−α)·g‬</translation>
    </message>
    <message>
        <source>G ← β·G + (1−β)·g²</source>
        <translation>‪G ← β·G + (1−β)·g²‬</translation>
    </message>
    <message>
        <source>the lecture (no bias correction)</source>
        <translation>درس (بدون اصلاح سوگیری)</translation>
    </message>
    <message>
        <source>Adam</source>
        <translation>Adam</translation>
    </message>
    <message>
        <source>Kingma &amp; Ba 2015; torch.optim.Adam</source>
        <translation>‪Kingma &amp; Ba 2015; torch.optim.Adam‬</translation>
    </message>
    <message>
        <source>AMSGrad</source>
        <translation>AMSGrad</translation>
    </message>
    <message>
        <source>torch.optim.Adam(amsgrad=True)</source>
        <translation>‪torch.optim.Adam(amsgrad=True)‬</translation>
    </message>
    <message>
        <source>AdamW</source>
        <translation>AdamW</translation>
    </message>
    <message>
        <source>torch.optim.AdamW</source>
        <translation>torch.optim.AdamW</translation>
    </message>
    <message>
        <source>NAdam</source>
        <translation>NAdam</translation>
    </message>
    <message>
        <source>torch.optim.NAdam</source>
        <translation>torch.optim.NAdam</translation>
    </message>
    <message>
        <source>Adadelta</source>
        <translation>Adadelta</translation>
    </message>
    <message>
        <source>The effective rate is η·√(U+ε)/√(G+ε).</source>
        <translation>‫نرخ مؤثر برابر است با ‪η·√(U+ε)/√(G+ε)‬.‬</translation>
    </message>
    <message>
        <source>G ← ρ·G + (1−ρ)·g²</source>
        <translation>‪G ← ρ·G + (1−ρ)·g²‬</translation>
    </message>
    <message>
        <source>torch.optim.Adadelta</source>
        <translation>torch.optim.Adadelta</translation>
    </message>
    <message>
        <source>QHM</source>
        <translation>QHM</translation>
    </message>
    <message>
        <source>Ma &amp; Yarats, ICLR 2019 (their β is our α)</source>
        <translation>‪Ma &amp; Yarats, ICLR 2019‬ (در مقاله، β همان α ماست)</translation>
    </message>
    <message>
        <source>QHAdam</source>
        <translation>QHAdam</translation>
    </message>
    <message>
        <source>Ma &amp; Yarats, ICLR 2019</source>
        <translation>‪Ma &amp; Yarats, ICLR 2019‬</translation>
    </message>
    <message>
        <source>Lion</source>
        <translation>Lion</translation>
    </message>
    <message>
        <source>Every weight moves by exactly η (plus decay): only the sign of c is used.</source>
        <translation>‫هر وزن دقیقاً به اندازهٔ ‪η‬ جابه‌جا می‌شود (به‌علاوهٔ کاهش وزن): فقط علامت ‪c‬ به کار می‌رود.‬</translation>
    </message>
    <message>
        <source>M ← α·M + (1−α)·g, after the step</source>
        <translation>‪M ← α·M + (1−α)·g‬، پس از گام</translation>
    </message>
    <message>
        <source>Chen et al. 2023, Algorithm 2 (their β₂ is our α)</source>
        <translation>‪Chen et al. 2023‬، الگوریتم ۲ (در مقاله، ‪β₂‬ همان ‪α‬ ماست)</translation>
    </message>
    <message>
        <source>RAdam</source>
        <translation>RAdam</translation>
    </message>
    <message>
        <source>Plain momentum for the first steps, until G has seen enough gradients to be trusted.</source>
        <translation>‫در گام‌های نخست تکانهٔ ساده، تا وقتی ‪G‬ آن‌قدر گرادیان دیده باشد که بتوان به آن اعتماد کرد.‬</translation>
    </message>
    <message>
        <source>Liu et al. 2020; torch.optim.RAdam</source>
        <translation>‪Liu et al. 2020; torch.optim.RAdam‬</translation>
    </message>
    <message>
        <source>Adamax</source>
        <translation>Adamax</translation>
    </message>
    <message>
        <source>G ← max(β·G, |g|+ε) (a decaying largest |g|)</source>
        <translation>‪G ← max(β·G, |g|+ε)‬ (بزرگ‌ترین ‪|g|‬ که کم‌کم فراموش می‌شود)</translation>
    </message>
    <message>
        <source>Kingma &amp; Ba 2015; torch.optim.Adamax</source>
        <translation>‪Kingma &amp; Ba 2015; torch.optim.Adamax‬</translation>
    </message>
    <message>
        <source>learning rate</source>
        <translation>نرخ یادگیری</translation>
    </message>
    <message>
        <source>momentum / first-moment decay</source>
        <translation>میرایی تکانه / گشتاور اول</translation>
    </message>
    <message>
        <source>second-moment (G) decay</source>
        <translation>میرایی گشتاور دوم (G)</translation>
    </message>
    <message>
        <source>added to √G to avoid division by 0</source>
        <translation>به ‪√G‬ افزوده می‌شود تا تقسیم بر صفر پیش نیاید</translation>
    </message>
    <message>
        <source>decoupled weight decay</source>
        <translation>کاهش وزنِ جداشده</translation>
    </message>
    <message>
        <source>Adadelta&apos;s decay of G and of Δ²</source>
        <translation>میرایی G و ‪Δ²‬ در Adadelta</translation>
    </message>
    <message>
        <source>weight of the momentum term (ν₁)</source>
        <translation>ضریب جملهٔ تکانه (‪ν₁‬)</translation>
    </message>
    <message>
        <source>weight of v̂ in QHAdam&apos;s denominator</source>
        <translation>ضریب ‪v̂‬ در مخرج QHAdam</translation>
    </message>
    <message>
        <source>NAdam&apos;s momentum decay</source>
        <translation>میرایی تکانه در NAdam</translation>
    </message>
    <message>
        <source>Lion&apos;s weight of M in the direction c</source>
        <translation>ضریب ‪M‬ در جهت ‪c‬ در Lion</translation>
    </message>
    <message>
        <source>Ill-conditioned bowl</source>
        <translation>کاسهٔ بدحالت</translation>
    </message>
    <message>
        <source>Condition</source>
        <translation>عدد حالت</translation>
    </message>
    <message>
        <source>Rosenbrock</source>
        <translation>Rosenbrock</translation>
    </message>
    <message>
        <source>Beale</source>
        <translation>Beale</translation>
    </message>
    <message>
        <source>Himmelblau</source>
        <translation>Himmelblau</translation>
    </message>
    <message>
        <source>Four minima, all with L = 0: which one a run reaches depends on where it starts.</source>
        <translation>‫چهار کمینه، همه با ‪L = 0‬؛ اینکه اجرا به کدام برسد به نقطهٔ شروعش بستگی دارد.‬</translation>
    </message>
    <message>
        <source>Booth (rotated bowl)</source>
        <translation>کاسهٔ چرخیده (Booth)</translation>
    </message>
    <message>
        <source>Matyas (flat valley)</source>
        <translation>درهٔ تخت (Matyas)</translation>
    </message>
    <message>
        <source>Saddle</source>
        <translation>زین</translation>
    </message>
    <message>
        <source>No minimum: L falls without bound along w2. The gradient vanishes at the saddle (0, 0); a run starting slightly off the w1 axis slows down near it, then escapes.</source>
        <translation>‫کمینه ندارد: L در امتداد w2 بی‌کران کم می‌شود. گرادیان در نقطهٔ زینی ‪(0, 0)‬ صفر می‌شود؛ اجرایی که کمی دور از محور w1 شروع شود، نزدیک آن کُند می‌شود و بعد می‌گریزد.‬</translation>
    </message>
    <message>
        <source>Monkey saddle</source>
        <translation>زین میمون</translation>
    </message>
    <message>
        <source>No minimum: three valleys fall without bound. At the saddle (0, 0) the gradient and the curvature both vanish, so runs crawl past it before escaping down a valley.</source>
        <translation>‫کمینه ندارد: سه دره بی‌کران پایین می‌روند. در نقطهٔ زینی ‪(0, 0)‬ هم گرادیان و هم انحنا صفر می‌شوند، پس اجراها پیش از گریختن به پایینِ یک دره، به‌کندی از کنارش می‌گذرند.‬</translation>
    </message>
    <message>
        <source>Rastrigin</source>
        <translation>Rastrigin</translation>
    </message>
    <message>
        <source>A bowl covered in local minima near every integer point; only (0, 0) is global.</source>
        <translation>‫کاسه‌ای پوشیده از کمینه‌های محلی نزدیک هر نقطهٔ صحیح؛ فقط ‪(0, 0)‬ کمینهٔ سراسری است.‬</translation>
    </message>
    <message>
        <source>Ackley</source>
        <translation>Ackley</translation>
    </message>
    <message>
        <source>Nearly flat outside, full of local minima, with a sharp cone (a kink) at the minimum.</source>
        <translation>‫بیرونش تقریباً تخت و پر از کمینه‌های محلی است، با یک مخروط تیز (شکستگی) در کمینه.‬</translation>
    </message>
    <message>
        <source>Six-hump camel</source>
        <translation>شتر شش‌کوهانه</translation>
    </message>
    <message>
        <source>Six local minima; the two global ones (L ≈ −1.0316) mirror each other through (0, 0).</source>
        <translation>‫شش کمینهٔ محلی؛ دو کمینهٔ سراسری (‪L ≈ −1.0316‬) نسبت به ‪(0, 0)‬ قرینهٔ یکدیگرند.‬</translation>
    </message>
    <message>
        <source>Goldstein–Price</source>
        <translation>Goldstein–Price</translation>
    </message>
    <message>
        <source>L ranges from 3 to about a million: adaptive step sizes matter here.</source>
        <translation>‫مقدار L از 3 تا حدود یک میلیون است: اینجا اندازهٔ گام تطبیقی مهم است.‬</translation>
    </message>
    <message>
        <source>Styblinski–Tang</source>
        <translation>Styblinski–Tang</translation>
    </message>
    <message>
        <source>Four minima; only the one at (−2.90, −2.90) is global.</source>
        <translation>‫چهار کمینه؛ فقط کمینهٔ ‪(−2.90, −2.90)‬ سراسری است.‬</translation>
    </message>
    <message>
        <source>Palmer penguins</source>
        <translation>پنگوئن‌های پالمر</translation>
    </message>
    <message>
        <source>344 penguins of three species, Palmer Archipelago, Antarctica, 2007–2009</source>
        <translation>۳۴۴ پنگوئن از سه گونه، مجمع‌الجزایر پالمر، جنوبگان، ۲۰۰۷ تا ۲۰۰۹</translation>
    </message>
    <message>
        <source>flipper length → body mass</source>
        <translation>طول باله ← جرم بدن</translation>
    </message>
    <message>
        <source>bill length → species (Gentoo?)</source>
        <translation>طول منقار ← گونه (جنتو؟)</translation>
    </message>
    <message>
        <source>compiling {text} was cancelled</source>
        <translation>کامپایل ‪{text}‬ لغو شد</translation>
    </message>
    <message>
        <source>strings are not allowed</source>
        <translation>رشته‌های متنی مجاز نیستند</translation>
    </message>
    <message>
        <source>subscripts and lists are not allowed</source>
        <translation>اندیس‌گذاری و فهرست مجاز نیستند</translation>
    </message>
    <message>
        <source>braces are not allowed</source>
        <translation>آکولاد مجاز نیست</translation>
    </message>
    <message>
        <source>attribute access is not allowed</source>
        <translation>دسترسی به صفت‌ها مجاز نیست</translation>
    </message>
    <message>
        <source>write only the formula for L, without &apos;=&apos; or comparisons</source>
        <translation>فقط فرمول L را بنویسید، بدون ‪&apos;=&apos;‬ یا مقایسه</translation>
    </message>
    <message>
        <source>comparisons are not allowed</source>
        <translation>مقایسه مجاز نیست</translation>
    </message>
    <message>
        <source>only + - * / ^ are allowed</source>
        <translation>فقط ‪+ - * / ^‬ مجازند</translation>
    </message>
    <message>
        <source>only one expression is allowed</source>
        <translation>فقط یک عبارت مجاز است</translation>
    </message>
    <message>
        <source>only one plain expression is allowed</source>
        <translation>فقط یک عبارت ساده مجاز است</translation>
    </message>
    <message>
        <source>only + - * / ^ are allowed; write abs(...) for |...|</source>
        <translation>فقط ‪+ - * / ^‬ مجازند؛ به جای ‪|...|‬ بنویسید ‪abs(...)‬</translation>
    </message>
    <message>
        <source>comments are not allowed</source>
        <translation>توضیح (کامنت) مجاز نیست</translation>
    </message>
    <message>
        <source>number {number} at column {col} is too large</source>
        <translation>عدد ‪{number}‬ در ستون {col} بیش از حد بزرگ است</translation>
    </message>
    <message>
        <source>&apos;{word}&apos; at column {col} is a Python keyword, not math</source>
        <translation>‪&apos;{word}&apos;‬ در ستون {col} کلیدواژهٔ پایتون است، نه ریاضی</translation>
    </message>
    <message>
        <source>{char} at column {col} is not allowed: {reason}</source>
        <translation>‏‪{char}‬ در ستون {col} مجاز نیست: {reason}</translation>
    </message>
    <message>
        <source>unexpected character {char} at column {col}: use numbers, x, y, + - * / ^, parentheses and functions</source>
        <translation>نویسهٔ غیرمنتظرهٔ ‪{char}‬ در ستون {col}: از عدد، x، y، ‪+ - * / ^‬، پرانتز و تابع‌ها استفاده کنید</translation>
    </message>
    <message>
        <source>the expression is too large (more than {limit} parts)</source>
        <translation>عبارت بیش از حد بزرگ است (بیش از {limit} جزء)</translation>
    </message>
    <message>
        <source>the expression is nested too deeply at column {col} (at most {limit} levels)</source>
        <translation>تودرتویی عبارت در ستون {col} بیش از حد است (حداکثر {limit} سطح)</translation>
    </message>
    <message>
        <source>the expression is empty: type a formula in x and y, e.g. x^2 + 10*y^2</source>
        <translation>عبارت خالی است: فرمولی برحسب x و y بنویسید، مثلاً ‪x^2 + 10*y^2‬</translation>
    </message>
    <message>
        <source>the expression ends too early after &apos;{token}&apos; at column {col}: expected a number, x, y, a function or &apos;(&apos;</source>
        <translation>عبارت پس از ‪&apos;{token}&apos;‬ در ستون {col} زودتر از موعد تمام شده است: عدد، x، y، یک تابع یا ‪&apos;(&apos;‬ لازم است</translation>
    </message>
    <message>
        <source>&apos;,&apos; at column {col} outside a function call: commas only separate arguments, as in max(x, y)</source>
        <translation>‪&apos;,&apos;‬ در ستون {col} بیرون از فراخوانی تابع است: ویرگول فقط آرگومان‌ها را از هم جدا می‌کند، مانند ‪max(x, y)‬</translation>
    </message>
    <message>
        <source>missing operator before &apos;{token}&apos; at column {col}: write * to multiply, e.g. 2*x</source>
        <translation>پیش از ‪&apos;{token}&apos;‬ در ستون {col} عملگری نیست: برای ضرب ‪*‬ بنویسید، مثلاً ‪2*x‬</translation>
    </message>
    <message>
        <source>unexpected &apos;{token}&apos; at column {col}: expected a number, x, y, a function or &apos;(&apos;</source>
        <translation>‪&apos;{token}&apos;‬ غیرمنتظره در ستون {col}: عدد، x، y، یک تابع یا ‪&apos;(&apos;‬ لازم است</translation>
    </message>
    <message>
        <source>&apos;)&apos; at column {col} has no &apos;(&apos; to close</source>
        <translation>‪&apos;)&apos;‬ در ستون {col} هیچ ‪&apos;(&apos;‬ بازی را نمی‌بندد</translation>
    </message>
    <message>
        <source>unexpected &apos;{token}&apos; at column {col}</source>
        <translation>‪&apos;{token}&apos;‬ غیرمنتظره در ستون {col}</translation>
    </message>
    <message>
        <source>&apos;(&apos; at column {col} is never closed</source>
        <translation>‪&apos;(&apos;‬ در ستون {col} هیچ‌گاه بسته نشده است</translation>
    </message>
    <message>
        <source>&apos;{name}&apos; at column {col} is a function: write {name}(...)</source>
        <translation>‪&apos;{name}&apos;‬ در ستون {col} یک تابع است: بنویسید ‪{name}(...)‬</translation>
    </message>
    <message>
        <source>&apos;{name}&apos; at column {col} is not a function: write {name}*(...) to multiply</source>
        <translation>‪&apos;{name}&apos;‬ در ستون {col} تابع نیست: برای ضرب بنویسید ‪{name}*(...)‬</translation>
    </message>
    <message>
        <source>unknown function &apos;{name}&apos; at column {col}: use one of {functions}</source>
        <translation>تابع ناشناختهٔ ‪&apos;{name}&apos;‬ در ستون {col}: یکی از این‌ها را به کار ببرید: ‪{functions}‬</translation>
    </message>
    <message>
        <source>unknown name &apos;{name}&apos; at column {col} — use x and y</source>
        <translation>نام ناشناختهٔ ‪&apos;{name}&apos;‬ در ستون {col} — از x و y استفاده کنید</translation>
    </message>
    <message>
        <source>{function}() takes {arity} argument, got {count} (at column {col})</source>
        <translation>‏‪{function}()‬‏ {arity} آرگومان می‌گیرد، اما {count} آرگومان داده شده است (در ستون {col})</translation>
    </message>
    <message>
        <source>{function}() takes {arity} arguments, got {count} (at column {col})</source>
        <translation>‏‪{function}()‬‏ {arity} آرگومان می‌گیرد، اما {count} آرگومان داده شده است (در ستون {col})</translation>
    </message>
    <message>
        <source>the exponent {exponent} of &apos;^&apos; at column {col} is too large (at most {limit} in size)</source>
        <translation>توان ‪{exponent}‬ برای ‪&apos;^&apos;‬ در ستون {col} بیش از حد بزرگ است (اندازه‌اش حداکثر {limit})</translation>
    </message>
    <message>
        <source>division by zero at column {col}</source>
        <translation>تقسیم بر صفر در ستون {col}</translation>
    </message>
    <message>
        <source>&apos;^&apos; at column {col}: a base of {base} to a power that depends on x or y is not a real number; use a positive base</source>
        <translation>‪&apos;^&apos;‬ در ستون {col}: پایهٔ ‪{base}‬ به توانی که به x یا y بستگی دارد عدد حقیقی نیست؛ پایهٔ مثبت به کار ببرید</translation>
    </message>
    <message>
        <source>{part} at column {col} divides by zero</source>
        <translation>‏‪{part}‬ در ستون {col} تقسیم بر صفر است</translation>
    </message>
    <message>
        <source>{part} at column {col} is undefined (not a real number)</source>
        <translation>‏‪{part}‬ در ستون {col} تعریف‌نشده است (عدد حقیقی نیست)</translation>
    </message>
    <message>
        <source>{part} at column {col} is undefined</source>
        <translation>‏‪{part}‬ در ستون {col} تعریف‌نشده است</translation>
    </message>
    <message>
        <source>{part} at column {col} is too large</source>
        <translation>‏‪{part}‬ در ستون {col} بیش از حد بزرگ است</translation>
    </message>
    <message>
        <source>the expression is too long ({length} characters; at most {limit})</source>
        <translation>عبارت بیش از حد طولانی است ({length} نویسه؛ حداکثر {limit})</translation>
    </message>
    <message>
        <source>the number {value}</source>
        <translation>عدد ‪{value}‬</translation>
    </message>
    <message>
        <source>cannot compile {text}: it needs the number {value}, beyond the largest a double holds (about 1.8e308); use smaller constants or powers</source>
        <translation>‪{text}‬ کامپایل نمی‌شود: به عدد ‪{value}‬ نیاز دارد که از بزرگ‌ترین عدد اعشاری دوبل (حدود ‪1.8e308‬) بزرگ‌تر است؛ ثابت‌ها یا توان‌های کوچک‌تری به کار ببرید</translation>
    </message>
    <message>
        <source>cannot compile {text}: once simplified, part of it is infinite everywhere (like 1/0 or log(0))</source>
        <translation>‪{text}‬ کامپایل نمی‌شود: پس از ساده‌سازی، بخشی از آن همه‌جا بی‌نهایت است (مانند ‪1/0‬ یا ‪log(0)‬)</translation>
    </message>
    <message>
        <source>cannot compile {text}: its value or gradient is not a real number everywhere ({reason})</source>
        <translation>‪{text}‬ کامپایل نمی‌شود: مقدار یا گرادیانش همه‌جا عدد حقیقی نیست ({reason})</translation>
    </message>
    <message>
        <source>the gradient of {text} is too large to compile quickly; try a shorter formula</source>
        <translation>گرادیان ‪{text}‬ بزرگ‌تر از آن است که سریع کامپایل شود؛ فرمول کوتاه‌تری امتحان کنید</translation>
    </message>
    <message>
        <source>cannot write {path}: {reason}</source>
        <translation>نوشتن ‪{path}‬ ممکن نیست: {reason}</translation>
    </message>
    <message>
        <source>cannot write {path}: nothing was written (is the disk full?)</source>
        <translation>نوشتن ‪{path}‬ ممکن نیست: چیزی نوشته نشد (آیا دیسک پر است؟)</translation>
    </message>
    <message>
        <source>cannot write {path}: only {size} of {expected} bytes reached the disk (is the disk full?)</source>
        <translation>نوشتن ‪{path}‬ ممکن نیست: فقط {size} از {expected} بایت روی دیسک رسید (آیا دیسک پر است؟)</translation>
    </message>
    <message>
        <source>cannot write {path}: the video encoder stopped before the file was complete (is the disk full?)</source>
        <translation>نوشتن ‪{path}‬ ممکن نیست: رمزگذار ویدیو پیش از کامل شدن فایل متوقف شد (آیا دیسک پر است؟)</translation>
    </message>
    <message>
        <source>a racer&apos;s seed</source>
        <translation>بذر تصادفی یک مسابقه‌دهنده</translation>
    </message>
    <message>
        <source>&apos;enabled&apos; must be true or false</source>
        <translation>‪&apos;enabled&apos;‬ باید ‪true‬ یا ‪false‬ باشد</translation>
    </message>
    <message>
        <source>racer key {key} must be up to 40 of a-z, 0-9, - _ #</source>
        <translation>کلید شرکت‌کنندهٔ {key} باید حداکثر ۴۰ نویسه از ‪a-z، 0-9، - _ #‬ باشد</translation>
    </message>
    <message>
        <source>a racer&apos;s label must be one line of at most 80 characters</source>
        <translation>برچسب یک شرکت‌کننده باید یک خط با حداکثر ۸۰ نویسه باشد</translation>
    </message>
    <message>
        <source>racer colour {color} is not in the palette; use one of {choices}</source>
        <translation>رنگ {color} در جدول رنگ‌ها نیست؛ یکی از این‌ها را به کار ببرید: {choices}</translation>
    </message>
    <message>
        <source>an edit&apos;s step must be a whole number ≥ 0, got {value}</source>
        <translation>گام یک تغییر باید عددی صحیح و ‪≥ 0‬ باشد، اما {value} است</translation>
    </message>
    <message>
        <source>{what} must be a built-in surface name or an expression in x and y, got {type}</source>
        <translation>‏‪{what}‬ باید نام یک سطح آماده یا عبارتی برحسب x و y باشد، اما ‪{type}‬ داده شده است</translation>
    </message>
    <message>
        <source>{what} must be a finite number, got {value}</source>
        <translation>‏{what} باید عددی متناهی باشد، اما ‪{value}‬ داده شده است</translation>
    </message>
    <message>
        <source>{what} must be a whole number in 0…{limit}, got {value}</source>
        <translation>{what} باید عددی صحیح در بازهٔ 0…{limit} باشد، اما {value} داده شد</translation>
    </message>
    <message>
        <source>two racers have the key {key}; each needs its own</source>
        <translation>دو شرکت‌کننده کلید {key} دارند؛ هر کدام کلید خودش را لازم دارد</translation>
    </message>
    <message>
        <source>{settings}, seed {seed}</source>
        <translation>{settings}، بذر {seed}</translation>
    </message>
    <message>
        <source>seed {seed}</source>
        <translation>بذر {seed}</translation>
    </message>
    <message>
        <source>loss must be a built-in surface name or an expression in x and y</source>
        <translation>تابع زیان باید نام یک سطح آماده یا عبارتی برحسب x و y باشد</translation>
    </message>
    <message>
        <source>loss parameter {name}</source>
        <translation>پارامتر زیان ‪{name}‬</translation>
    </message>
    <message>
        <source>start must be two numbers [w1, w2], got {value}</source>
        <translation>نقطهٔ شروع باید دو عدد ‪[w1, w2]‬ باشد، اما ‪{value}‬ داده شده است</translation>
    </message>
    <message>
        <source>steps must be a whole number in [1, {limit}], got {value}</source>
        <translation>تعداد گام‌ها باید عددی صحیح در ‪[1, {limit}]‬ باشد، اما ‪{value}‬ داده شده است</translation>
    </message>
    <message>
        <source>racers must be RacerConfig entries</source>
        <translation>شرکت‌کنندگان مسابقه باید از نوع ‪RacerConfig‬ باشند</translation>
    </message>
    <message>
        <source>view must be [w1_min, w1_max, w2_min, w2_max]</source>
        <translation>محدودهٔ نما باید ‪[w1_min, w1_max, w2_min, w2_max]‬ باشد</translation>
    </message>
    <message>
        <source>view must have min &lt; max on both axes, got {view}</source>
        <translation>در محدودهٔ نما باید روی هر دو محور ‪min &lt; max‬ باشد، اما ‪{view}‬ داده شده است</translation>
    </message>
    <message>
        <source>tol must be ≥ 0, got {value}</source>
        <translation>تلورانس ‪tol‬ باید ‪≥ 0‬ باشد، اما ‪{value}‬ داده شده است</translation>
    </message>
    <message>
        <source>data must be a DataSpec</source>
        <translation>داده باید یک DataSpec باشد</translation>
    </message>
    <message>
        <source>the batch size must be a whole number in 0…{limit} (0 = the full batch), got {value}</source>
        <translation>اندازهٔ دسته باید عددی صحیح در بازهٔ 0…{limit} باشد (0 = کل داده‌ها)، اما {value} داده شد</translation>
    </message>
    <message>
        <source>the gradient noise σ</source>
        <translation>نویز گرادیان σ</translation>
    </message>
    <message>
        <source>the gradient noise σ must be ≥ 0, got {value}</source>
        <translation>نویز گرادیان σ باید ≥ 0 باشد، اما {value} داده شد</translation>
    </message>
    <message>
        <source>the seed</source>
        <translation>بذر تصادفی</translation>
    </message>
    <message>
        <source>a session file must hold a JSON object</source>
        <translation>پروندهٔ نشست باید یک شیء JSON باشد</translation>
    </message>
    <message>
        <source>not an Optimizer Lab session (its &apos;format&apos; is not {format})</source>
        <translation>این نشستِ آزمایشگاه بهینه‌سازها نیست (مقدار ‪&apos;format&apos;‬ آن ‪{format}‬ نیست)</translation>
    </message>
    <message>
        <source>session version {version} is not supported; this Optimizer Lab reads version {supported}</source>
        <translation>نسخهٔ نشست ‪{version}‬ پشتیبانی نمی‌شود؛ این آزمایشگاه بهینه‌سازها نسخهٔ {supported} را می‌خواند</translation>
    </message>
    <message>
        <source>unknown session field(s): {fields}</source>
        <translation>فیلد(های) ناشناخته در نشست: ‪{fields}‬</translation>
    </message>
    <message>
        <source>&apos;racers&apos; must be a list</source>
        <translation>‪&apos;racers&apos;‬ باید فهرست باشد</translation>
    </message>
    <message>
        <source>racer {n} must be an object with an &apos;optimizer&apos; name</source>
        <translation>بهینه‌ساز شمارهٔ {n} باید شیئی با نام ‪&apos;optimizer&apos;‬ باشد</translation>
    </message>
    <message>
        <source>racer {n} has unknown field(s): {fields}</source>
        <translation>بهینه‌ساز شمارهٔ {n} فیلد(های) ناشناخته دارد: ‪{fields}‬</translation>
    </message>
    <message>
        <source>racer {n}: &apos;schedule&apos; must be text and &apos;enabled&apos; true/false</source>
        <translation>بهینه‌ساز شمارهٔ {n}: ‪&apos;schedule&apos;‬ باید متن و ‪&apos;enabled&apos;‬ باید ‪true/false‬ باشد</translation>
    </message>
    <message>
        <source>racer {n}: {error}</source>
        <translation>بهینه‌ساز شمارهٔ {n}: {error}</translation>
    </message>
    <message>
        <source>&apos;edits&apos; must be a list</source>
        <translation>‪&apos;edits&apos;‬ باید یک فهرست باشد</translation>
    </message>
    <message>
        <source>edit {n} must have exactly racer, after_step, hyperparameters and schedule</source>
        <translation>تغییر شمارهٔ {n} باید دقیقاً ‪racer، after_step، hyperparameters‬ و ‪schedule‬ را داشته باشد</translation>
    </message>
    <message>
        <source>edit {n}: &apos;racer&apos; and &apos;schedule&apos; must be text</source>
        <translation>تغییر شمارهٔ {n}: ‪&apos;racer&apos;‬ و ‪&apos;schedule&apos;‬ باید متن باشند</translation>
    </message>
    <message>
        <source>edit {n}</source>
        <translation>تغییر شمارهٔ {n}</translation>
    </message>
    <message>
        <source>edit {n}: {error}</source>
        <translation>تغییر شمارهٔ {n}: {error}</translation>
    </message>
    <message>
        <source>&apos;loss_params&apos; must be an object</source>
        <translation>‪&apos;loss_params&apos;‬ باید شیء باشد</translation>
    </message>
    <message>
        <source>{where}: &apos;hyperparameters&apos; must be an object</source>
        <translation>{where}: ‪&apos;hyperparameters&apos;‬ باید یک شیء باشد</translation>
    </message>
    <message>
        <source>{where} {name}</source>
        <translation>{where} {name}</translation>
    </message>
    <message>
        <source>a race holds at most {limit} racers, got {count}; remove one before adding another</source>
        <translation>یک مسابقه حداکثر {limit} شرکت‌کننده دارد، اما {count} آمده است؛ پیش از افزودن، یکی را بردارید</translation>
    </message>
    <message>
        <source>the data&apos;s {field} must be a non-empty name</source>
        <translation>{field} داده باید نامی ناتهی باشد</translation>
    </message>
    <message>
        <source>model {model} is not known; use one of {allowed}</source>
        <translation>مدل {model} شناخته نیست؛ یکی از این‌ها را به کار ببرید: {allowed}</translation>
    </message>
    <message>
        <source>&apos;standardize&apos; must be true or false</source>
        <translation>&apos;standardize&apos; باید true یا false باشد</translation>
    </message>
    <message>
        <source>the positive class must be text</source>
        <translation>ردهٔ مثبت باید متن باشد</translation>
    </message>
    <message>
        <source>&apos;sha256&apos; must be 64 hexadecimal digits (a CSV file&apos;s SHA-256)</source>
        <translation>&apos;sha256&apos; باید ۶۴ رقم شانزده‌شانزدهی باشد (SHA-256 یک فایل CSV)</translation>
    </message>
    <message>
        <source>&apos;data&apos; must be an object</source>
        <translation>&apos;data&apos; باید یک شیء باشد</translation>
    </message>
    <message>
        <source>unknown data field(s): {fields}</source>
        <translation>فیلد(های) ناشناختهٔ داده: {fields}</translation>
    </message>
    <message>
        <source>the data lacks {fields}</source>
        <translation>داده {fields} را ندارد</translation>
    </message>
    <message>
        <source>column {name} holds {values}: logistic regression needs 0 and 1, or a positive class to count as 1</source>
        <translation>ستون {name} این مقادیر را دارد: {values}؛ رگرسیون لجستیک به 0 و 1 نیاز دارد، یا به یک ردهٔ مثبت که 1 شمرده شود</translation>
    </message>
    <message>
        <source>column {name} holds classes; choose the positive one (counted as 1): {classes}</source>
        <translation>ستون {name} رده دارد؛ ردهٔ مثبت (که 1 شمرده می‌شود) را برگزینید: {classes}</translation>
    </message>
    <message>
        <source>column {name} has no class {positive}; its classes are: {classes}</source>
        <translation>ستون {name} ردهٔ {positive} را ندارد؛ رده‌های آن: {classes}</translation>
    </message>
    <message>
        <source>{source} has {count} usable rows for {x} → {y} ({dropped} with a missing value left out); a fit needs at least 2</source>
        <translation>{source} برای {x} ← {y} تنها {count} سطر قابل استفاده دارد ({dropped} سطرِ دارای مقدار گم‌شده کنار گذاشته شد)؛ برازش دست‌کم ۲ سطر می‌خواهد</translation>
    </message>
    <message>
        <source>every usable row of column {name} is {only}: logistic regression needs rows of two classes</source>
        <translation>همهٔ سطرهای قابل استفادهٔ ستون {name} برابر {only} هستند: رگرسیون لجستیک به سطرهایی از دو رده نیاز دارد</translation>
    </message>
    <message>
        <source>column {name} is constant, so it cannot be standardised</source>
        <translation>ستون {name} ثابت است، پس نمی‌توان آن را استانداردسازی کرد</translation>
    </message>
    <message>
        <source>{dropped} of {rows} rows have a missing {x} or {y} and are left out; the loss uses {used}.</source>
        <translation>{dropped} سطر از {rows} سطر مقدار {x} یا {y} ندارند و کنار گذاشته شدند؛ تابع هزینه از {used} سطر استفاده می‌کند.</translation>
    </message>
    <message>
        <source>{source} has changed since this session was saved (its SHA-256 differs): the numbers will not be those of the saved race.</source>
        <translation>{source} پس از ذخیرهٔ این جلسه تغییر کرده است (SHA-256 آن فرق دارد): اعداد همان اعداد مسابقهٔ ذخیره‌شده نخواهند بود.</translation>
    </message>
    <message>
        <source>No minimum: the loss keeps falling as the weights grow (the classes are separable, or x is constant).</source>
        <translation>کمینه‌ای نیست: با بزرگ شدن وزن‌ها هزینه پیوسته کم می‌شود (رده‌ها جداپذیرند، یا x ثابت است).</translation>
    </message>
    <message>
        <source>{first} {second}</source>
        <translation>{first} {second}</translation>
    </message>
    <message>
        <source>{source} has no column {name} for {role}; its columns are: {allowed}</source>
        <translation>{source} ستونی به نام {name} برای {role} ندارد؛ ستون‌های آن: {allowed}</translation>
    </message>
    <message>
        <source>column {name} of {source} must hold numbers for {role}, but line {line} has {value}; numeric columns: {allowed}</source>
        <translation>ستون {name} از {source} برای {role} باید عدد داشته باشد، اما سطر {line} مقدار {value} دارد؛ ستون‌های عددی: {allowed}</translation>
    </message>
    <message>
        <source>none</source>
        <translation>هیچ</translation>
    </message>
    <message>
        <source>{source} is not a text (UTF-8) file</source>
        <translation>{source} فایل متنی (UTF-8) نیست</translation>
    </message>
    <message>
        <source>{source} is empty: a CSV needs a header line of column names</source>
        <translation>{source} خالی است: فایل CSV به یک سطر سرستون با نام ستون‌ها نیاز دارد</translation>
    </message>
    <message>
        <source>{source}: every column needs its own name in the header line (empty or repeated: {names})</source>
        <translation>{source}: هر ستون در سطر سرستون نام خودش را لازم دارد (خالی یا تکراری: {names})</translation>
    </message>
    <message>
        <source>{source}, line {line}: {count} cells, but the header names {columns} columns</source>
        <translation>{source}، سطر {line}: {count} خانه دارد، اما سرستون {columns} ستون نام می‌برد</translation>
    </message>
    <message>
        <source>{source} has more than {limit} rows</source>
        <translation>{source} بیش از {limit} سطر دارد</translation>
    </message>
    <message>
        <source>{source} is not a readable CSV file: {reason}</source>
        <translation>{source} فایل CSV خوانایی نیست: {reason}</translation>
    </message>
    <message>
        <source>a dataset is a built-in name ({names}) or a CSV file&apos;s path</source>
        <translation>مجموعه‌داده یا نامی داخلی است ({names}) یا مسیر یک فایل CSV</translation>
    </message>
    <message>
        <source>{ref} is neither a built-in dataset ({names}) nor a CSV file</source>
        <translation>{ref} نه مجموعه‌داده‌ای داخلی است ({names}) و نه فایل CSV</translation>
    </message>
    <message>
        <source>a CSV table</source>
        <translation>یک جدول CSV</translation>
    </message>
    <message>
        <source>L does not depend on x or y: the gradient is zero everywhere.</source>
        <translation>‪L‬ به x و y بستگی ندارد: گرادیان همه‌جا صفر است.</translation>
    </message>
    <message>
        <source>The gradient of L is zero everywhere, so no optimizer will move.</source>
        <translation>گرادیان ‪L‬ همه‌جا صفر است، پس هیچ بهینه‌سازی حرکت نمی‌کند.</translation>
    </message>
    <message>
        <source>At kinks the gradient is a subgradient: abs&apos;(0) = 0, relu&apos;(0) = 0, max/min on a tie take half of each side.</source>
        <translation>در نقطه‌های شکست، گرادیان یک زیرگرادیان است: ‪abs&apos;(0) = 0‬، ‪relu&apos;(0) = 0‬، و ‪max/min‬ در حالت برابری نیمی از هر طرف را می‌گیرند.</translation>
    </message>
    <message>
        <source>{note} {more}</source>
        <translation>{note} {more}</translation>
    </message>
    <message>
        <source>Custom loss</source>
        <translation>تابع زیان دلخواه</translation>
    </message>
    <message>
        <source>{label}: the formula gives {shown} but the engine recorded {recorded}</source>
        <translation>‏‪{label}‬: فرمول ‪{shown}‬ را می‌دهد اما موتور ‪{recorded}‬ را ثبت کرده است</translation>
    </message>
    <message>
        <source>(cannot be recovered: {eta} = 0 at this step)</source>
        <translation>(بازسازی‌پذیر نیست: در این گام ‪{eta} = 0‬)</translation>
    </message>
    <message>
        <source>= {G}: this step&apos;s G is the largest so far</source>
        <translation>‪= {G}‬: G این گام تا اینجا بزرگ‌ترین است</translation>
    </message>
    <message>
        <source>&gt; {G} = {value}: a larger G from an earlier step is remembered</source>
        <translation>‪&gt; {G} = {value}‬: G بزرگ‌تری از یک گام پیشین به خاطر سپرده شده است</translation>
    </message>
    <message>
        <source>{formula} {relation}</source>
        <translation>{formula} {relation}</translation>
    </message>
    <message>
        <source>went from 0 to {value}</source>
        <translation>از 0 به ‪{value}‬ رسید</translation>
    </message>
    <message>
        <source>reversed sign</source>
        <translation>تغییر علامت داد</translation>
    </message>
    <message>
        <source>fell to 0</source>
        <translation>به 0 رسید</translation>
    </message>
    <message>
        <source>grew {factor}×</source>
        <translation>{factor} برابر شد</translation>
    </message>
    <message>
        <source>grew {percent}</source>
        <translation>{percent} افزایش یافت</translation>
    </message>
    <message>
        <source>fell {percent}</source>
        <translation>{percent} کاهش یافت</translation>
    </message>
    <message>
        <source>First step: Lion moves each weight by η·sign(c) (plus the decay η·λ·w), whatever the size of its gradient.</source>
        <translation>گام اول: Lion هر وزن را به اندازهٔ ‪η·sign(c)‬ (به‌علاوهٔ کاهش ‪η·λ·w‬) جابه‌جا می‌کند، هر قدر هم گرادیانش بزرگ یا کوچک باشد.</translation>
    </message>
    <message>
        <source>First step, with {state} starting at 0: |Δw₁| = {k1}·η and |Δw₂| = {k2}·η, although the gradients differ: the per-weight rate divides out each gradient&apos;s size.</source>
        <translation>گام اول (مقدار آغازین {state} صفر است): ‪|Δw₁| = {k1}·η‬ و ‪|Δw₂| = {k2}·η‬، با اینکه گرادیان‌ها متفاوت‌اند: نرخ جداگانهٔ هر وزن اندازهٔ گرادیانِ آن را خنثی می‌کند.</translation>
    </message>
    <message>
        <source>First step, with {state} starting at 0: |Δw₁| = {k1}·η and |Δw₂| = {k2}·η.</source>
        <translation>گام اول (مقدار آغازین {state} صفر است): ‪|Δw₁| = {k1}·η‬ و ‪|Δw₂| = {k2}·η‬.</translation>
    </message>
    <message>
        <source>First step: one rate η for both weights, and both gradients have the same size.</source>
        <translation>گام اول: یک نرخ η برای هر دو وزن، و هر دو گرادیان هم‌اندازه‌اند.</translation>
    </message>
    <message>
        <source>First step: one rate η for both weights, so w{big} moved farther because its gradient is larger (|g{big}| = {g_big} &gt; |g{small}| = {g_small}).</source>
        <translation>گام اول: یک نرخ η برای هر دو وزن، پس ‪w{big}‬ بیشتر جابه‌جا شد، چون گرادیانش بزرگ‌تر است (‪|g{big}| = {g_big} &gt; |g{small}| = {g_small}‬).</translation>
    </message>
    <message>
        <source>the schedule lowered η</source>
        <translation>برنامهٔ زمانی η را پایین آورد</translation>
    </message>
    <message>
        <source>the schedule raised η</source>
        <translation>برنامهٔ زمانی η را بالا برد</translation>
    </message>
    <message>
        <source>G{sb} {change} (g{sb}({s})² = {g2} was added)</source>
        <translation>‪G{sb}‬‏ {change} (‪g{sb}({s})² = {g2}‬ به آن افزوده شد)</translation>
    </message>
    <message>
        <source>G{sb} {change} (g{sb}({s})² = {g2} is above G{sb}({p}) = {G_old})</source>
        <translation>‪G{sb}‬‏ {change} (‪g{sb}({s})² = {g2}‬ از ‪G{sb}({p}) = {G_old}‬ بزرگ‌تر است)</translation>
    </message>
    <message>
        <source>G{sb} {change} (g{sb}({s})² = {g2} is below G{sb}({p}) = {G_old}, and G forgets: β = {beta})</source>
        <translation>‪G{sb}‬‏ {change} (‪g{sb}({s})² = {g2}‬ از ‪G{sb}({p}) = {G_old}‬ کوچک‌تر است و G گذشته را فراموش می‌کند: ‪β = {beta}‬)</translation>
    </message>
    <message>
        <source>G{sb} {change}</source>
        <translation>‪G{sb}‬‏ {change}</translation>
    </message>
    <message>
        <source>√(U{sb}+ε)/√(G{sb}+ε) fell</source>
        <translation>‪√(U{sb}+ε)/√(G{sb}+ε)‬ کاهش یافت</translation>
    </message>
    <message>
        <source>√(U{sb}+ε)/√(G{sb}+ε) rose</source>
        <translation>‪√(U{sb}+ε)/√(G{sb}+ε)‬ افزایش یافت</translation>
    </message>
    <message>
        <source>{name} {change}</source>
        <translation>‪{name}‬‏ {change}</translation>
    </message>
    <message>
        <source>{name} grew</source>
        <translation>‪{name}‬ افزایش یافت</translation>
    </message>
    <message>
        <source>{name} fell</source>
        <translation>‪{name}‬ کاهش یافت</translation>
    </message>
    <message>
        <source>Nothing that drives the step changed since step {p}.</source>
        <translation>از گام {p} تاکنون هیچ‌یک از عوامل تعیین‌کنندهٔ گام تغییر نکرده است.</translation>
    </message>
    <message>
        <source>The learning rate {change} since step {p} because the schedule lowered η.</source>
        <translation>نرخ یادگیری از گام {p} تاکنون {change}، زیرا برنامهٔ زمانی η را پایین آورد.</translation>
    </message>
    <message>
        <source>The learning rate {change} since step {p} because the schedule raised η.</source>
        <translation>نرخ یادگیری از گام {p} تاکنون {change}، زیرا برنامهٔ زمانی η را بالا برد.</translation>
    </message>
    <message>
        <source>w{sb}&apos;s learning rate {change} since step {p} because {cause}.</source>
        <translation>نرخ یادگیری ‪w{sb}‬ از گام {p} تاکنون {change}، زیرا {cause}.</translation>
    </message>
    <message>
        <source>w{sb}&apos;s learning rate {change} since step {p}.</source>
        <translation>نرخ یادگیری ‪w{sb}‬ از گام {p} تاکنون {change}.</translation>
    </message>
    <message>
        <source>M{sb} {change} since step {p} because g{sb}({s}) = {g} points the other way.</source>
        <translation>‏‪M{sb}‬ از گام {p} تاکنون {change}، زیرا ‪g{sb}({s}) = {g}‬ در جهت مخالف است.</translation>
    </message>
    <message>
        <source>M{sb} {change} since step {p}.</source>
        <translation>‏‪M{sb}‬ از گام {p} تاکنون {change}.</translation>
    </message>
    <message>
        <source>The gradient g{sb} reversed sign since step {p}: the slope along w{sb} flipped, so w{sb} is now pushed the other way.</source>
        <translation>گرادیان ‪g{sb}‬ از گام {p} تاکنون تغییر علامت داده است: شیب در امتداد ‪w{sb}‬ برعکس شد، پس اکنون ‪w{sb}‬ به سمت مخالف رانده می‌شود.</translation>
    </message>
    <message>
        <source>The gradient g{sb} {change} since step {p} (steeper ground along w{sb}).</source>
        <translation>گرادیان ‪g{sb}‬ از گام {p} تاکنون {change} (سطح در امتداد ‪w{sb}‬ پرشیب‌تر است).</translation>
    </message>
    <message>
        <source>The gradient g{sb} {change} since step {p} (flatter ground along w{sb}).</source>
        <translation>گرادیان ‪g{sb}‬ از گام {p} تاکنون {change} (سطح در امتداد ‪w{sb}‬ هموارتر است).</translation>
    </message>
    <message>
        <source>ρ({s}) ≤ 5: too few gradients to trust G yet, so the step is plain momentum</source>
        <translation>‪ρ({s}) ≤ 5‬: هنوز گرادیان کافی برای اعتماد به ‪G‬ نیست، پس گام همان تکانهٔ ساده است</translation>
    </message>
    <message>
        <source>row must be a whole number, got {value}</source>
        <translation>ردیف باید عددی صحیح باشد، اما ‪{value}‬ داده شده است</translation>
    </message>
    <message>
        <source>row {row} is out of range: this run has {n} recorded rows (0–{last})</source>
        <translation>ردیف {row} خارج از محدوده است: این اجرا {n} ردیف ثبت‌شده دارد (‪0–{last}‬)</translation>
    </message>
    <message>
        <source>w{sb}(0) = {w} (the start)</source>
        <translation>w{sb}(0) = {w} (نقطهٔ شروع)</translation>
    </message>
    <message>
        <source>The start: w(0) = ({w1}, {w2}) with L = {loss}; no step has been taken yet.</source>
        <translation>نقطهٔ شروع: ‪w(0) = ({w1}, {w2})‬ با ‪L = {loss}‬؛ هنوز گامی برداشته نشده است.</translation>
    </message>
    <message>
        <source>The start: w(0) = ({w1}, {w2}) with L = {loss}; no step has been taken yet; {state} starts at 0.</source>
        <translation>نقطهٔ شروع: ‪w(0) = ({w1}, {w2})‬ با ‪L = {loss}‬؛ هنوز گامی برداشته نشده است و مقدار آغازین {state} صفر است.</translation>
    </message>
    <message>
        <source>The start: w(0) = ({w1}, {w2}) with L = {loss}; no step has been taken yet; {state} start at 0.</source>
        <translation>نقطهٔ شروع: ‪w(0) = ({w1}, {w2})‬ با ‪L = {loss}‬؛ هنوز گامی برداشته نشده است و مقدار آغازین {state} صفر است.</translation>
    </message>
    <message>
        <source>{optimizer}, start</source>
        <translation>‏{optimizer}، نقطهٔ شروع</translation>
    </message>
    <message>
        <source>Step {s} is shown without its formula: the record of this long run keeps only some steps (the previous kept one is step {sp}), so the values before step {s} are not known.</source>
        <translation>گام {s} بدون فرمول نشان داده می‌شود: از این اجرای طولانی فقط برخی گام‌ها نگه داشته شده‌اند (گام نگه‌داشته‌شدهٔ قبلی، گام {sp} است)، پس مقادیر پیش از گام {s} معلوم نیستند.</translation>
    </message>
    <message>
        <source>{optimizer}, step {step}</source>
        <translation>‏{optimizer}، گام {step}</translation>
    </message>
    <message>
        <source>g(0) = 0: at the first step there is no earlier gradient to remember.</source>
        <translation>‏‪g(0) = 0‬: در گام اول گرادیان پیشینی نیست که به خاطر سپرده شود.</translation>
    </message>
    <message>
        <source>g({p}) is the gradient the engine recorded at step {p} (the lecture&apos;s g(t−1)).</source>
        <translation>‏‪g({p})‬ گرادیانی است که موتور در گام {p} ثبت کرده است (همان ‪g(t−1)‬ در درس).</translation>
    </message>
    <message>
        <source>Gmax(t) = max(Gmax(t−1), G(t)), the largest G so far, is not recorded: √Ĝmax = √(Gmax/(1−βᵗ)) is recovered from the recorded rate lr = η/(√Ĝmax+ε).</source>
        <translation>‏‪Gmax(t) = max(Gmax(t−1), G(t))‬، یعنی بزرگ‌ترین G تا این گام، ثبت نمی‌شود: ‪√Ĝmax = √(Gmax/(1−βᵗ))‬ از نرخ ثبت‌شدهٔ ‪lr = η/(√Ĝmax+ε)‬ بازسازی می‌شود.</translation>
    </message>
    <message>
        <source>U, the running mean of Δ², is not recorded: √(U+ε) is recovered from the recorded rate lr = η·√(U+ε)/√(G+ε).</source>
        <translation>‏U، میانگین متحرک ‪Δ²‬، ثبت نمی‌شود: ‪√(U+ε)‬ از نرخ ثبت‌شدهٔ ‪lr = η·√(U+ε)/√(G+ε)‬ بازسازی می‌شود.</translation>
    </message>
    <message>
        <source>{note} U starts at 0, so here √(U(0)+ε) = √ε = {root}.</source>
        <translation>{note} مقدار آغازین U صفر است، پس اینجا ‪√(U(0)+ε) = √ε = {root}‬.</translation>
    </message>
    <message>
        <source>η({s}) = 0, so the unrecorded state cannot be recovered from the rate at this step.</source>
        <translation>‏‪η({s}) = 0‬، پس در این گام وضعیتِ ثبت‌نشده را نمی‌توان از نرخ بازسازی کرد.</translation>
    </message>
    <message>
        <source>{first}; {second}</source>
        <translation>{first}؛ {second}</translation>
    </message>
    <message>
        <source>These numbers do not all follow from the hyperparameters and schedule given (were they changed after this step?): {mismatches}.</source>
        <translation>همهٔ این اعداد از ابرپارامترها و برنامهٔ زمانی داده‌شده به دست نمی‌آیند (آیا پس از این گام تغییر کرده‌اند؟): {mismatches}.</translation>
    </message>
    <message>
        <source>the expression must be text, got {type}</source>
        <translation>عبارت باید متن باشد، اما ‪{type}‬ داده شده است</translation>
    </message>
    <message>
        <source>surface {surface} has no parameter {name}; it takes: {allowed}</source>
        <translation>سطح {surface} پارامتری به نام {name} ندارد؛ پارامترهای آن: {allowed}</translation>
    </message>
    <message>
        <source>{surface} parameter {name} = {value} must be a positive number</source>
        <translation>پارامتر {name} در {surface} (برابر {value}) باید عددی مثبت باشد</translation>
    </message>
    <message>
        <source>the {name} axis needs low &lt; high, got {low} and {high}</source>
        <translation>محور {name} باید ‪low &lt; high‬ داشته باشد، اما {low} و {high} آمده است</translation>
    </message>
    <message>
        <source>a map side must have 2 to {limit} pixels, got {n}</source>
        <translation>هر ضلع نقشه باید ۲ تا {limit} پیکسل باشد، اما {n} آمده است</translation>
    </message>
    <message>
        <source>a log axis needs low &gt; 0, got {low} for {name}</source>
        <translation>محور لگاریتمی ‪low &gt; 0‬ لازم دارد، اما برای {name} مقدار {low} آمده است</translation>
    </message>
    <message>
        <source>an axis is NAME:LOW:HIGH or NAME:LOW:HIGH:log (e.g. lr:1e-4:10:log), got {text}</source>
        <translation>محور به شکل ‪NAME:LOW:HIGH‬ یا ‪NAME:LOW:HIGH:log‬ است (مثلاً ‪lr:1e-4:10:log‬)، اما {text} آمده است</translation>
    </message>
    <message>
        <source>an axis&apos;s LOW and HIGH must be numbers, got {text}</source>
        <translation>‪LOW‬ و ‪HIGH‬ یک محور باید عدد باشند، اما {text} آمده است</translation>
    </message>
    <message>
        <source>the map kind must be one of {allowed}, got {kind}</source>
        <translation>نوع نقشه باید یکی از {allowed} باشد، اما {kind} آمده است</translation>
    </message>
    <message>
        <source>a hyperparameter map needs two axes, e.g. --x lr:1e-4:10:log --y beta:0.5:0.999</source>
        <translation>نقشهٔ ابرپارامتر دو محور لازم دارد، مثلاً ‪--x lr:1e-4:10:log --y beta:0.5:0.999‬</translation>
    </message>
    <message>
        <source>the two axes must be different hyperparameters, both are {name}</source>
        <translation>دو محور باید دو ابرپارامتر متفاوت باشند، اما هر دو {name} هستند</translation>
    </message>
    <message>
        <source>colour a map by basin, loss or steps, got {name}</source>
        <translation>نقشه را با ‪basin‬، ‪loss‬ یا ‪steps‬ رنگ کنید، اما {name} آمده است</translation>
    </message>
    <message>
        <source>greyed: still moving near that ☆ after {steps} steps</source>
        <translation>خاکستری: پس از {steps} گام هنوز نزدیک آن ☆ در حرکت است</translation>
    </message>
    <message>
        <source>converged, not at a minimum (a saddle)</source>
        <translation>همگرا شد، اما نه در یک کمینه (یک نقطهٔ زینی)</translation>
    </message>
    <message>
        <source>log₁₀(final L − {low})</source>
        <translation>‪log₁₀‬ (خطای پایانی − {low})</translation>
    </message>
    <message>
        <source>steps to converge</source>
        <translation>گام‌ها تا همگرایی</translation>
    </message>
    <message>
        <source>{what}; yellow: no lower than at the start</source>
        <translation>{what}؛ زرد: پایین‌تر از نقطهٔ شروع نیست</translation>
    </message>
    <message>
        <source>not converged in {steps} steps</source>
        <translation>در {steps} گام همگرا نشد</translation>
    </message>
    <message>
        <source>diverged</source>
        <translation>واگرا شد</translation>
    </message>
    <message>
        <source>permission denied</source>
        <translation>اجازهٔ دسترسی نیست</translation>
    </message>
    <message>
        <source>no such file or folder</source>
        <translation>چنین فایل یا پوشه‌ای نیست</translation>
    </message>
    <message>
        <source>part of the path is not a folder</source>
        <translation>بخشی از مسیر پوشه نیست</translation>
    </message>
    <message>
        <source>it is a folder</source>
        <translation>این یک پوشه است</translation>
    </message>
    <message>
        <source>the disk is full</source>
        <translation>دیسک پر است</translation>
    </message>
    <message>
        <source>the disk quota is used up</source>
        <translation>سهمیهٔ دیسک تمام شده است</translation>
    </message>
    <message>
        <source>the disk is read-only</source>
        <translation>دیسک فقط‌خواندنی است</translation>
    </message>
    <message>
        <source>the name is too long</source>
        <translation>نام بیش از حد بلند است</translation>
    </message>
    <message>
        <source>{first} and {second}</source>
        <translation>{first} و {second}</translation>
    </message>
    <message>
        <source>{name} = {value} is out of range: {symbol} must be in {range}</source>
        <translation>‏‪{name} = {value}‬ خارج از محدوده است: ‪{symbol}‬ باید در ‪{range}‬ باشد</translation>
    </message>
    <message>
        <source>unknown optimizer {name}; choose one of: {choices}</source>
        <translation>بهینه‌ساز ناشناختهٔ ‪{name}‬؛ یکی از این‌ها را انتخاب کنید: ‪{choices}‬</translation>
    </message>
    <message>
        <source>a session file</source>
        <translation>یک فایل نشست</translation>
    </message>
    <message>
        <source>pacing must be one of {allowed}, got {pacing}</source>
        <translation>آهنگ قاب‌ها باید یکی از {allowed} باشد، نه {pacing}</translation>
    </message>
    <message>
        <source>the step range {first}:{last} is empty</source>
        <translation>بازهٔ گام {first}:{last} خالی است</translation>
    </message>
    <message>
        <source>a step range is FIRST:LAST in steps (e.g. 0:200, or 100: to the end), got {text}</source>
        <translation>بازهٔ گام به شکل FIRST:LAST است (مثلاً 0:200، یا 100: تا پایان)، نه {text}</translation>
    </message>
    <message>
        <source>a step range needs 0 ≤ FIRST &lt; LAST, got {text}</source>
        <translation>بازهٔ گام باید 0 ≤ FIRST &lt; LAST باشد، نه {text}</translation>
    </message>
    <message>
        <source>could not encode a GIF frame</source>
        <translation>رمزگذاری یک قاب GIF ممکن نشد</translation>
    </message>
    <message>
        <source>animate one of {allowed}, got {animate}</source>
        <translation>پویانمایی باید یکی از {allowed} باشد، نه {animate}</translation>
    </message>
    <message>
        <source>the step range starts at {first} but the race has {steps} steps</source>
        <translation>بازهٔ گام از {first} شروع می‌شود ولی مسابقه {steps} گام دارد</translation>
    </message>
    <message>
        <source>the last step must come after the first</source>
        <translation>گام آخر باید بعد از گام اول باشد</translation>
    </message>
    <message>
        <source>it is not a regular file</source>
        <translation>فایل معمولی نیست</translation>
    </message>
    <message>
        <source>{size} bytes is over the limit of {limit}</source>
        <translation>{size} بایت بیش از حد مجاز {limit} است</translation>
    </message>
    <message>
        <source>The settings file {path} could not be used ({reason}); starting with defaults.</source>
        <translation>فایل تنظیمات ‪{path}‬ قابل استفاده نبود ({reason})؛ با مقادیر پیش‌فرض شروع می‌شود.</translation>
    </message>
    <message>
        <source>The settings file {path} could not be used ({reason}); it was moved to {aside} and the window starts with defaults.</source>
        <translation>فایل تنظیمات ‪{path}‬ قابل استفاده نبود ({reason})؛ به ‪{aside}‬ منتقل شد و پنجره با مقادیر پیش‌فرض باز می‌شود.</translation>
    </message>
    <message>
        <source>the remembered {key} is not JSON text</source>
        <translation>مقدار به‌یادماندهٔ {key} متن JSON نیست</translation>
    </message>
    <message>
        <source>the remembered {key} is not valid JSON: {reason}</source>
        <translation>مقدار به‌یادماندهٔ {key} یک JSON معتبر نیست: {reason}</translation>
    </message>
    <message>
        <source>the remembered {key} is nested too deeply</source>
        <translation>مقدار به‌یادماندهٔ {key} بیش از حد تودرتو است</translation>
    </message>
    <message>
        <source>{optimizer} has no hyperparameter {name}; it takes: {allowed}</source>
        <translation>‏‪{optimizer}‬ ابرپارامتر ‪{name}‬ ندارد؛ ابرپارامترهایش: ‪{allowed}‬</translation>
    </message>
    <message>
        <source>{text} took longer than {seconds} s of CPU time to differentiate and compile and was stopped; try a shorter formula or smaller powers</source>
        <translation>مشتق‌گیری و کامپایل ‪{text}‬ بیش از {seconds} ثانیه زمان پردازنده گرفت و متوقف شد؛ فرمول کوتاه‌تر یا توان‌های کوچک‌تری امتحان کنید</translation>
    </message>
    <message>
        <source>{text} needs more than {limit} of memory to differentiate and compile and was stopped; try a shorter formula or smaller powers</source>
        <translation>مشتق‌گیری و کامپایل ‪{text}‬ به بیش از ‪{limit}‬ حافظه نیاز داشت و متوقف شد؛ فرمول کوتاه‌تر یا توان‌های کوچک‌تری امتحان کنید</translation>
    </message>
    <message>
        <source>compiling {text} failed ({reason}); try a shorter formula</source>
        <translation>کامپایل ‪{text}‬ ناموفق بود ({reason})؛ فرمول کوتاه‌تری امتحان کنید</translation>
    </message>
    <message>
        <source>edits must be Edit entries</source>
        <translation>تغییرها باید از نوع ‪Edit‬ باشند</translation>
    </message>
    <message>
        <source>an edit names racer {key}, which is not in the race</source>
        <translation>یک تغییر به شرکت‌کنندهٔ {key} اشاره می‌کند که در این مسابقه نیست</translation>
    </message>
    <message>
        <source>this session was saved by a newer Optimizer Lab (file version {version}); this one reads versions 1 to {supported}: update Optimizer Lab to open it</source>
        <translation>این نشست با نسخهٔ تازه‌تری از ‪Optimizer Lab‬ ذخیره شده است (نسخهٔ پرونده {version})؛ این برنامه نسخه‌های ۱ تا {supported} را می‌خواند: برای باز کردنش ‪Optimizer Lab‬ را به‌روز کنید</translation>
    </message>
    <message>
        <source>racer {n}</source>
        <translation>شرکت‌کنندهٔ شمارهٔ {n}</translation>
    </message>
    <message>
        <source>there is no racer {key} in this race</source>
        <translation>شرکت‌کننده‌ای با کلید {key} در این مسابقه نیست</translation>
    </message>
    <message>
        <source>a folder</source>
        <translation>یک پوشه</translation>
    </message>
    <message>
        <source>a named pipe (FIFO)</source>
        <translation>یک لولهٔ نام‌دار (FIFO)</translation>
    </message>
    <message>
        <source>a device</source>
        <translation>یک دستگاه</translation>
    </message>
    <message>
        <source>a socket</source>
        <translation>یک سوکت</translation>
    </message>
    <message>
        <source>not a regular file</source>
        <translation>فایل معمولی نیست</translation>
    </message>
    <message>
        <source>{file} is {kind}, not a regular file, so it cannot be {what}</source>
        <translation>‪{file}‬ {kind} است، نه یک فایل معمولی، پس نمی‌تواند {what} باشد</translation>
    </message>
    <message>
        <source>{file}: {size} bytes is too large for {what} (the limit is {limit} bytes)</source>
        <translation>‪{file}‬: {size} بایت برای {what} بیش از حد بزرگ است (حد مجاز {limit} بایت است)</translation>
    </message>
    <message>
        <source>{name} is not an allowed number; use a finite number</source>
        <translation>{name} عدد مجازی نیست؛ یک عدد متناهی به کار ببرید</translation>
    </message>
    <message>
        <source>an integer ≥ 1</source>
        <translation>عددی صحیح و ‪≥ 1‬</translation>
    </message>
    <message>
        <source>in (0, 1]</source>
        <translation>در ‪(0, 1]‬</translation>
    </message>
    <message>
        <source>≥ 0</source>
        <translation>‪≥ 0‬</translation>
    </message>
    <message>
        <source>unknown schedule {kind}; choose one of: {choices}</source>
        <translation>برنامهٔ زمانی ناشناختهٔ ‪{kind}‬؛ یکی از این‌ها را انتخاب کنید: ‪{choices}‬</translation>
    </message>
    <message>
        <source>no parameters</source>
        <translation>بدون پارامتر</translation>
    </message>
    <message>
        <source>schedule {kind} has no parameter {name}; it takes {names}</source>
        <translation>برنامهٔ زمانی ‪{kind}‬ پارامتر ‪{name}‬ ندارد؛ پارامترهایش: ‪{names}‬</translation>
    </message>
    <message>
        <source>schedule {kind}: {name} = {value} is not allowed; {name} must be {allowed}</source>
        <translation>برنامهٔ زمانی ‪{kind}‬: مقدار ‪{name} = {value}‬ مجاز نیست؛ ‪{name}‬ باید {allowed} باشد</translation>
    </message>
    <message>
        <source>schedule parameter {item} must be written name=value</source>
        <translation>پارامتر برنامهٔ زمانی ‪{item}‬ باید به شکل ‪name=value‬ نوشته شود</translation>
    </message>
    <message>
        <source>schedule parameter {name}={value} is not a number</source>
        <translation>پارامتر برنامهٔ زمانی ‪{name}={value}‬ عدد نیست</translation>
    </message>
    <message>
        <source>cannot read {path}: {reason}</source>
        <translation>خواندن ‪{path}‬ ممکن نیست: {reason}</translation>
    </message>
    <message>
        <source>{file} is not a text (UTF-8) file</source>
        <translation>‏‪{file}‬ پروندهٔ متنی ‪(UTF-8)‬ نیست</translation>
    </message>
    <message>
        <source>{file} is not valid JSON (line {line}, column {column}: {reason}); it may be truncated</source>
        <translation>‏‪{file}‬ JSON معتبر نیست (سطر {line}، ستون {column}: {reason})؛ شاید ناقص باشد</translation>
    </message>
    <message>
        <source>{file}: {error}</source>
        <translation>‏‪{file}‬‏: {error}</translation>
    </message>
    <message>
        <source>{file} is nested too deeply to be a session file</source>
        <translation>‏‪{file}‬ برای پروندهٔ نشست بیش از حد تودرتو است</translation>
    </message>
    <message>
        <source>{file}: loss is neither a built-in surface nor a valid expression: {error}</source>
        <translation>‏‪{file}‬‏: تابع زیان نه سطح آماده است و نه عبارتی معتبر: {error}</translation>
    </message>
    <message>
        <source>{name} is not an allowed number in a session file</source>
        <translation>‏‪{name}‬ در پروندهٔ نشست عدد مجازی نیست</translation>
    </message>
    <message>
        <source>size must be WIDTHxHEIGHT in pixels (e.g. 1920x1080), got {text}</source>
        <translation>اندازه باید به شکل ‪WIDTHxHEIGHT‬ بر حسب پیکسل باشد (مثلاً ‪1920x1080‬)، ولی ‪{text}‬ داده شد</translation>
    </message>
    <message>
        <source>size {w}x{h} is out of range: each side must be {low}…{high} pixels</source>
        <translation>اندازهٔ ‪{w}x{h}‬ خارج از بازه است: هر ضلع باید ‪{low}…{high}‬ پیکسل باشد</translation>
    </message>
    <message>
        <source>the contour</source>
        <translation>نمودار تراز</translation>
    </message>
    <message>
        <source>the per-weight plots</source>
        <translation>نمودارهای هر وزن</translation>
    </message>
    <message>
        <source>the window</source>
        <translation>پنجره</translation>
    </message>
    <message>
        <source>the animation</source>
        <translation>پویانمایی</translation>
    </message>
    <message>
        <source>the data</source>
        <translation>داده‌ها</translation>
    </message>
    <message>
        <source>cannot export {what} as {suffix}: use {allowed}</source>
        <translation>{what} را نمی‌توان با پسوند ‪{suffix}‬ خروجی گرفت: یکی از ‪{allowed}‬ را به کار ببرید</translation>
    </message>
    <message>
        <source>a file without a suffix</source>
        <translation>فایلی بی‌پسوند</translation>
    </message>
    <message>
        <source>nothing to export yet: wait until the surface and the race are ready</source>
        <translation>هنوز چیزی برای خروجی نیست: صبر کنید تا سطح و مسابقه آماده شوند</translation>
    </message>
    <message>
        <source>schedule {schedule}</source>
        <translation>زمان‌بندی {schedule}</translation>
    </message>
    <message>
        <source>step {step}</source>
        <translation>گام {step}</translation>
    </message>
    <message>
        <source>start</source>
        <translation>شروع</translation>
    </message>
    <message>
        <source>minimum</source>
        <translation>کمینه</translation>
    </message>
    <message>
        <source>current point</source>
        <translation>نقطهٔ کنونی</translation>
    </message>
    <message>
        <source>on {surface}</source>
        <translation>روی {surface}</translation>
    </message>
    <message>
        <source>could not encode the PNG image</source>
        <translation>تصویر ‪PNG‬ ساخته نشد</translation>
    </message>
    <message>
        <source>cannot write {path}: it is a folder</source>
        <translation>نوشتن ‪{path}‬ ممکن نیست: این یک پوشه است</translation>
    </message>
    <message>
        <source>cannot write {path}: folder {folder} does not exist</source>
        <translation>نوشتن ‪{path}‬ ممکن نیست: پوشهٔ ‪{folder}‬ وجود ندارد</translation>
    </message>
    <message>
        <source>frame rate must be a whole number of frames per second in 1…60, got {fps}</source>
        <translation>نرخ فریم باید عددی صحیح در ‪1…60‬ فریم بر ثانیه باشد، ولی ‪{fps}‬ داده شد</translation>
    </message>
    <message>
        <source>number of frames must be a whole number in 2…{most}, got {frames}</source>
        <translation>تعداد فریم‌ها باید عددی صحیح در ‪2…{most}‬ باشد، ولی ‪{frames}‬ داده شد</translation>
    </message>
    <message>
        <source>MP4 needs the optional mp4 extra: pip install &apos;optimizer-lab[mp4]&apos; (or export a .gif)</source>
        <translation>برای ‪MP4‬ افزونهٔ اختیاری mp4 لازم است: ‪pip install &apos;optimizer-lab[mp4]&apos;‬ (یا خروجی ‪.gif‬ بگیرید)</translation>
    </message>
    <message>
        <source>choose a file to export to</source>
        <translation>فایلی برای خروجی انتخاب کنید</translation>
    </message>
    <message>
        <source>&apos;map&apos; must be an object with kind, grid and color (and x, y for a hyperparameter map)</source>
        <translation>‏&apos;map&apos; باید شیئی با kind، grid و color باشد (و برای نقشهٔ ابرپارامتر، x و y)</translation>
    </message>
    <message>
        <source>map: kind must be one of {kinds}, got {value}</source>
        <translation>نقشه: kind باید یکی از {kinds} باشد، اما {value} آمده است</translation>
    </message>
    <message>
        <source>map: grid must be one of {grids}, got {value}</source>
        <translation>نقشه: grid باید یکی از {grids} باشد، اما {value} آمده است</translation>
    </message>
    <message>
        <source>map: color must be basin, loss or steps, got {value}</source>
        <translation>نقشه: color باید basin، loss یا steps باشد، اما {value} آمده است</translation>
    </message>
    <message>
        <source>map: a hyperparameter map needs x and y, like &quot;lr:1e-4:10:log&quot;</source>
        <translation>نقشه: نقشهٔ ابرپارامتر x و y لازم دارد، مانند ‪&quot;lr:1e-4:10:log&quot;‬</translation>
    </message>
    <message>
        <source>map: {problem}</source>
        <translation>نقشه: {problem}</translation>
    </message>
    <message>
        <source>map: {name} is not a setting of the first racer or the surface; use one of: {allowed}</source>
        <translation>نقشه: {name} تنظیمی از نخستین مسابقه‌دهنده یا از سطح نیست؛ یکی از این‌ها را به کار ببرید: {allowed}</translation>
    </message>
    <message>
        <source>map: a basin map&apos;s axes are w1 and w2; x and y are for a hyperparameter map</source>
        <translation>نقشه: محورهای نقشهٔ حوضه‌ها w1 و w2 هستند؛ x و y برای نقشهٔ ابرپارامتر است</translation>
    </message>
    <message>
        <source>{what} must be an object of texts by language, like {{&apos;en&apos;: …, &apos;fa&apos;: …}}</source>
        <translation>{what} باید شیئی از متن‌ها به تفکیک زبان باشد، مانند ‪{{&apos;en&apos;: …, &apos;fa&apos;: …}}‬</translation>
    </message>
    <message>
        <source>{what} has a bad language code {lang}; use codes like &apos;en&apos; or &apos;fa&apos;</source>
        <translation>{what} کد زبان نادرست ‪{lang}‬ دارد؛ کدهایی مانند ‪&apos;en&apos;‬ یا ‪&apos;fa&apos;‬ به کار ببرید</translation>
    </message>
    <message>
        <source>{what} in {lang} must be non-empty text</source>
        <translation>{what} در ‪{lang}‬ باید متنی ناتهی باشد</translation>
    </message>
    <message>
        <source>{what} is missing language(s): {missing}</source>
        <translation>زبان(های) ‪{missing}‬ در {what} نیست</translation>
    </message>
    <message>
        <source>&apos;paragraphs&apos; must be an object of paragraph lists by language</source>
        <translation>‪&apos;paragraphs&apos;‬ باید شیئی از فهرست‌های بند به تفکیک زبان باشد</translation>
    </message>
    <message>
        <source>&apos;paragraphs&apos; has a bad language code {lang}; use codes like &apos;en&apos; or &apos;fa&apos;</source>
        <translation>‪&apos;paragraphs&apos;‬ کد زبان نادرست ‪{lang}‬ دارد؛ کدهایی مانند ‪&apos;en&apos;‬ یا ‪&apos;fa&apos;‬ به کار ببرید</translation>
    </message>
    <message>
        <source>&apos;paragraphs&apos; in {lang} must be a list of non-empty texts</source>
        <translation>‪&apos;paragraphs&apos;‬ در ‪{lang}‬ باید فهرستی از متن‌های ناتهی باشد</translation>
    </message>
    <message>
        <source>&apos;paragraphs&apos; in {lang} has {count}; a lesson has {low} to {high} short paragraphs</source>
        <translation>‪&apos;paragraphs&apos;‬ در ‪{lang}‬ {count} بند دارد؛ هر درس {low} تا {high} بند کوتاه دارد</translation>
    </message>
    <message>
        <source>&apos;watch&apos; must be a list of {&quot;target&quot;: …, &quot;text&quot;: {…}} hints</source>
        <translation>‪&apos;watch&apos;‬ باید فهرستی از راهنماهای ‪{&quot;target&quot;: …, &quot;text&quot;: {…}}‬ باشد</translation>
    </message>
    <message>
        <source>watch hint {i} must be an object with exactly &apos;target&apos; and &apos;text&apos;</source>
        <translation>راهنمای دیدن {i} باید شیئی با دقیقاً ‪&apos;target&apos;‬ و ‪&apos;text&apos;‬ باشد</translation>
    </message>
    <message>
        <source>watch hint {i} has unknown target {target}; choose one of: {choices}</source>
        <translation>راهنمای دیدن {i} هدف ناشناختهٔ ‪{target}‬ دارد؛ یکی از این‌ها را برگزینید: ‪{choices}‬</translation>
    </message>
    <message>
        <source>session: loss is neither a built-in surface nor a valid expression: {problem}</source>
        <translation>جلسه: تابع زیان نه سطحی آماده است و نه عبارتی معتبر: {problem}</translation>
    </message>
    <message>
        <source>{name} is not an allowed number in a lesson file</source>
        <translation>‪{name}‬ عددی مجاز در پروندهٔ درس نیست</translation>
    </message>
    <message>
        <source>a lesson file must hold a JSON object</source>
        <translation>پروندهٔ درس باید یک شیء ‪JSON‬ داشته باشد</translation>
    </message>
    <message>
        <source>not an Optimizer Lab lesson (its &apos;format&apos; is not {expected})</source>
        <translation>درسِ آزمایشگاه بهینه‌سازها نیست (‪&apos;format&apos;‬ آن ‪{expected}‬ نیست)</translation>
    </message>
    <message>
        <source>lesson version {version} is not supported; this Optimizer Lab reads version {supported}</source>
        <translation>نسخهٔ درس ‪{version}‬ پشتیبانی نمی‌شود؛ این برنامه نسخهٔ {supported} را می‌خواند</translation>
    </message>
    <message>
        <source>unknown field(s): {fields}</source>
        <translation>فیلد(های) ناشناخته: ‪{fields}‬</translation>
    </message>
    <message>
        <source>missing field(s): {fields}</source>
        <translation>فیلد(های) جاافتاده: ‪{fields}‬</translation>
    </message>
    <message>
        <source>&apos;id&apos; must be lower-case letters, digits and &apos;-&apos;, got {value}</source>
        <translation>‪&apos;id&apos;‬ باید از حروف کوچک لاتین، رقم‌ها و ‪&apos;-&apos;‬ باشد، ولی ‪{value}‬ است</translation>
    </message>
    <message>
        <source>&apos;order&apos; must be a whole number ≥ 1, got {value}</source>
        <translation>‪&apos;order&apos;‬ باید عددی صحیح و ‪≥ 1‬ باشد، ولی ‪{value}‬ است</translation>
    </message>
    <message>
        <source>&apos;kind&apos; must be one of: {kinds}; got {value}</source>
        <translation>‪&apos;kind&apos;‬ باید یکی از این‌ها باشد: ‪{kinds}‬؛ ولی ‪{value}‬ است</translation>
    </message>
    <message>
        <source>&apos;speed&apos; must be steps per second in (0, {most}], got {value}</source>
        <translation>‪&apos;speed&apos;‬ باید گام بر ثانیه در ‪(0, {most}]‬ باشد، ولی ‪{value}‬ است</translation>
    </message>
    <message>
        <source>session: {problem}</source>
        <translation>جلسه: {problem}</translation>
    </message>
    <message>
        <source>session: no racer is enabled, so there is nothing to watch</source>
        <translation>جلسه: هیچ بهینه‌سازی فعال نیست، پس چیزی برای دیدن نیست</translation>
    </message>
    <message>
        <source>a lesson file</source>
        <translation>یک فایل درس</translation>
    </message>
    <message>
        <source>{file}: cannot read it: {reason}</source>
        <translation>‪{file}‬: خوانده نمی‌شود: {reason}</translation>
    </message>
    <message>
        <source>{file}: not a text (UTF-8) file</source>
        <translation>‪{file}‬: پرونده‌ای متنی (‪UTF-8‬) نیست</translation>
    </message>
    <message>
        <source>{file}: not valid JSON (line {line}, column {column}: {reason})</source>
        <translation>‪{file}‬: ‪JSON‬ معتبر نیست (سطر {line}، ستون {column}: ‪{reason}‬)</translation>
    </message>
    <message>
        <source>{file}: {problem}</source>
        <translation>‪{file}‬: {problem}</translation>
    </message>
    <message>
        <source>{folder}: lesson folder not found</source>
        <translation>‪{folder}‬: پوشهٔ درس‌ها پیدا نشد</translation>
    </message>
    <message>
        <source>{file}: id {id} is already used by {other}</source>
        <translation>‪{file}‬: شناسهٔ ‪{id}‬ را ‪{other}‬ پیش‌تر به کار برده است</translation>
    </message>
</context>
<context>
    <name>window</name>
    <message>
        <source>Maps</source>
        <extracomment>The narrowest the Maps dock is docked at; with less room it opens as a window of this size.</extracomment>
        <translation>نقشه‌ها</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>داده</translation>
    </message>
    <message>
        <source>Pick a data loss (the penguins, or a CSV) to see the data and the fitted model.</source>
        <translation>یک تابع خطای داده‌ای (پنگوئن‌ها یا یک CSV) انتخاب کنید تا داده و مدل برازش‌شده را ببینید.</translation>
    </message>
</context>
</TS>
